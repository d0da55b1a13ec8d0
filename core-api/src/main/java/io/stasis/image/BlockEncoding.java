package io.stasis.image;

/** How a MEMORY block's payload is stored. */
public enum BlockEncoding {
    RAW,
    /** The raw LZ4 block format, no frame. */
    LZ4
}
