package io.stasis.image;

import java.util.Arrays;

/** The 64-byte header: magic and version first, so a foreign file gets the plainest message. */
final class HeaderReader {

    private HeaderReader() {
    }

    static ImageHeader read(ImageInput in) {
        in.reading("header");
        if (in.size() == 0) {
            throw in.invalid("not a Stasis image (empty file)");
        }
        int present = (int) Math.min(in.size(), ImageFormat.MAGIC.length);
        byte[] magic = in.bytes(present);
        if (!Arrays.equals(magic, Arrays.copyOf(ImageFormat.MAGIC, present))) {
            throw in.invalid("not a Stasis image");
        }
        if (present < ImageFormat.MAGIC.length) {
            throw in.truncated();
        }
        int version = in.u32();
        if (version != ImageFormat.VERSION) {
            throw in.invalid("image format version " + Integer.toUnsignedString(version)
                    + ", this Stasis reads " + ImageFormat.VERSION);
        }
        int headerSize = in.u32();
        int pageSize = in.u32();
        int machine = in.u32();
        long creationTime = in.u64();
        int generation = in.u32();
        int flags = in.u32();
        in.skip(24);
        if (headerSize != ImageFormat.HEADER_SIZE) {
            throw in.invalid("header size " + Integer.toUnsignedString(headerSize)
                    + ", version 1 has " + ImageFormat.HEADER_SIZE);
        }
        if (pageSize != ImageFormat.PAGE_SIZE) {
            throw in.invalid("page size " + Integer.toUnsignedString(pageSize)
                    + ", this Stasis supports " + ImageFormat.PAGE_SIZE);
        }
        if (machine != ImageFormat.MACHINE_X86_64) {
            throw in.invalid("machine " + Integer.toUnsignedString(machine)
                    + ", this Stasis reads x86-64 (" + ImageFormat.MACHINE_X86_64 + ") images");
        }
        return new ImageHeader(version, headerSize, pageSize, machine, creationTime, generation, flags);
    }
}
