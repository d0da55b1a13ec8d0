package io.stasis.plugin.files;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds files sections by hand, little-endian, the way files.h lays them out. */
final class SectionBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static SectionBytes section() {
        return new SectionBytes().u32(FilesSection.MAGIC);
    }

    static SectionBytes payload() {
        return new SectionBytes();
    }

    SectionBytes u32(int v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v);
        out.writeBytes(b.array());
        return this;
    }

    SectionBytes u64(long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        out.writeBytes(b.array());
        return this;
    }

    SectionBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    SectionBytes text(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    SectionBytes record(int kind, int fd, SectionBytes payload) {
        byte[] p = payload.toArray();
        return u32(kind).u32(fd).u64(p.length).bytes(p);
    }

    /** A FILE_STATE payload: path, size, mtime, flags; `copy` is the saved contents or null. */
    static SectionBytes fileState(String path, long size, long mtimeNanos, int openFlags, byte[] copy) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        SectionBytes p = payload().u64(0x803).u64(1234).u64(size).u64(mtimeNanos).u64(7).u32(openFlags)
                .u32(0100644).u32(name.length).u32(copy == null ? 0 : FileState.SAVED).bytes(name);
        return copy == null ? p : p.bytes(copy);
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(toArray()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
