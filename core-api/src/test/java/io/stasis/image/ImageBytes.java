package io.stasis.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Patches little-endian fields of an image in memory, to build broken images from valid ones. */
public final class ImageBytes {

    private ImageBytes() {
    }

    public static byte[] putU16(byte[] image, long offset, int value) {
        byte[] copy = image.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putShort((int) offset, (short) value);
        return copy;
    }

    public static byte[] putU32(byte[] image, long offset, int value) {
        byte[] copy = image.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, value);
        return copy;
    }

    public static byte[] putU64(byte[] image, long offset, long value) {
        byte[] copy = image.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong((int) offset, value);
        return copy;
    }

    public static byte[] xor(byte[] image, long offset, int mask) {
        byte[] copy = image.clone();
        copy[(int) offset] ^= (byte) mask;
        return copy;
    }

    public static int u32(byte[] image, long offset) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt((int) offset);
    }
}
