package io.stasis.image;

import java.time.Instant;

/** The 64-byte header at offset 0. */
public record ImageHeader(
        int version,
        int headerSize,
        int pageSize,
        int machine,
        long creationTimeMs,
        int generation,
        int flags) {

    public Instant creationTime() {
        return Instant.ofEpochMilli(creationTimeMs);
    }
}
