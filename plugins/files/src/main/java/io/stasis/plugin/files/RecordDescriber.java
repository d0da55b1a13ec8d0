package io.stasis.plugin.files;

import java.nio.ByteBuffer;

/**
 * Shows one kind of record of the files section (plugins/files/native/files.h) in {@code stasis inspect}.
 * Each handler of the fragment has its describer, next to the layout it writes.
 */
interface RecordDescriber {

    /**
     * @param fd      the descriptor number the record is for
     * @param payload the record's payload, little-endian, positioned at 0; it may be damaged
     * @return one line, without the line break
     * @throws IllegalArgumentException the payload does not have the layout this describer knows
     */
    String describe(int fd, ByteBuffer payload);
}
