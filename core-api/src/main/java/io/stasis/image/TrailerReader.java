package io.stasis.image;

import java.util.Arrays;

/** The 32-byte trailer right after the END block, and the counts it must agree with. */
final class TrailerReader {

    private TrailerReader() {
    }

    static Trailer read(ImageInput in, int sectionCount, int blockCount) {
        long offset = in.position();
        in.reading("trailer");
        byte[] magic = in.bytes(ImageFormat.TRAILER_MAGIC.length);
        long fileLength = in.u64();
        int sections = in.u32();
        int blocks = in.u32();
        int fileCrc = in.u32();
        int reserved = in.u32();
        if (!Arrays.equals(magic, ImageFormat.TRAILER_MAGIC)) {
            throw in.invalid("no trailer after the END block: bad magic at offset " + offset);
        }
        if (in.size() != offset + ImageFormat.TRAILER_SIZE) {
            throw in.invalid((in.size() - offset - ImageFormat.TRAILER_SIZE) + " unexpected bytes after the trailer at offset "
                    + offset);
        }
        if (fileLength != in.size()) {
            throw in.invalid("trailer says the file has " + Long.toUnsignedString(fileLength) + " bytes, it has "
                    + in.size());
        }
        if (sections != sectionCount) {
            throw in.invalid("trailer counts " + Integer.toUnsignedString(sections) + " sections, the image has "
                    + sectionCount);
        }
        if (blocks != blockCount) {
            throw in.invalid("trailer counts " + Integer.toUnsignedString(blocks) + " blocks, the image has "
                    + blockCount);
        }
        // The only bytes no checksum covers: a reader must insist they are what the writer wrote.
        if (reserved != 0) {
            throw in.invalid("trailer's reserved field is not zero");
        }
        return new Trailer(offset, fileLength, sections, blocks, fileCrc);
    }
}
