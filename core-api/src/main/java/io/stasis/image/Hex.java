package io.stasis.image;

/** Formatting of addresses and checksums the same way in every message and listing. */
final class Hex {

    private Hex() {
    }

    /** {@code 0x7f3a5c000000}: unsigned, no padding. */
    static String address(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** {@code 0x0a1b2c3d}: a 32-bit checksum, padded to eight digits. */
    static String crc(int value) {
        return String.format("0x%08x", value);
    }
}
