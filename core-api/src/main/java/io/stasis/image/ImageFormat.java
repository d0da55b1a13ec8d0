package io.stasis.image;

import java.nio.charset.StandardCharsets;

/** Constants of docs/image-format.md, version 1; the reader and the test writer share them. */
final class ImageFormat {

    static final byte[] MAGIC = {(byte) 0x89, 'S', 'T', 'A', 'S', 'I', 'S', '\n'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = 64;
    static final int PAGE_SIZE = 4096;
    static final int MACHINE_X86_64 = 62;

    static final int SECTION_HEADER_SIZE = 16;
    /** MEMORY has no length: it runs until its END block. */
    static final long MEMORY_LENGTH = 0xFFFF_FFFF_FFFF_FFFFL;

    static final int THREAD_RECORD_SIZE = 176;

    static final int BLOCK_MAGIC = 0x314B_4C42;
    static final int BLOCK_HEADER_SIZE = 32;
    static final int ENCODING_RAW = 0;
    static final int ENCODING_LZ4 = 1;
    static final int ENCODING_END = 0xFFFF;

    static final byte[] TRAILER_MAGIC = "STASEND\n".getBytes(StandardCharsets.US_ASCII);
    static final int TRAILER_SIZE = 32;
    /** The file CRC covers the trailer up to (not including) its own field. */
    static final int TRAILER_CRC_OFFSET = 24;

    private ImageFormat() {
    }
}
