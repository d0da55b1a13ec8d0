package io.stasis.examples.counter;

import io.stasis.api.plugin.SectionDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/** The fragment's section (native/counter.c): "CNT1", then u32 checkpoints and u32 restarts, little-endian. */
final class CounterSection implements SectionDecoder {

    private static final int MAGIC = 0x31544e43;
    private static final int SIZE = 12;

    @Override
    public List<String> describe(int version, ByteBuffer data) {
        if (data.remaining() != SIZE || data.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a counter section (" + data.remaining() + " bytes)");
        }
        return List.of("checkpoints " + Integer.toUnsignedString(data.getInt(4)),
                "restarts before it " + Integer.toUnsignedString(data.getInt(8)));
    }
}
