package io.stasis.coordinator.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends little-endian fields to a frame body; rejects values that do not fit their field. */
public final class BodyWriter {

    private byte[] buffer = new byte[64];
    private int size;

    public BodyWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + value);
        }
        return little(value, 2);
    }

    public BodyWriter u32(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range: " + value);
        }
        return little(value, 4);
    }

    /** Any long: a u64 is carried bit for bit. */
    public BodyWriter u64(long value) {
        return little(value, 8);
    }

    public BodyWriter str(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        u16(utf8.length);
        return raw(utf8);
    }

    /** A u32 length followed by the bytes. */
    public BodyWriter blob(Bytes value) {
        u32(value.length());
        return raw(value.toArray());
    }

    public BodyWriter raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private BodyWriter little(long value, int width) {
        ensure(width);
        for (int i = 0; i < width; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
