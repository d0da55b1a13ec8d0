package io.stasis.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds a little-endian byte sequence field by field, as the format describes it. */
final class LittleEndianBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    LittleEndianBytes u8(int value) {
        out.write(value);
        return this;
    }

    LittleEndianBytes u16(int value) {
        return u8(value).u8(value >>> 8);
    }

    LittleEndianBytes u32(int value) {
        return u16(value).u16(value >>> 16);
    }

    LittleEndianBytes u64(long value) {
        return u32((int) value).u32((int) (value >>> 32));
    }

    LittleEndianBytes bytes(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    LittleEndianBytes str(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return u16(utf8.length).bytes(utf8);
    }

    LittleEndianBytes padded(String text, int length) {
        byte[] field = new byte[length];
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, field, 0, Math.min(utf8.length, length - 1));
        return bytes(field);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
