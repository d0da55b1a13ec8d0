package io.stasis.coordinator.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;

/** The coordinator's 32-byte shared secret; never printed. */
public final class Secret {

    public static final int LENGTH = 32;

    private final Bytes bytes;

    private Secret(Bytes bytes) {
        this.bytes = bytes;
    }

    public static Secret random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new Secret(Bytes.of(b));
    }

    /** 64 hex digits, as in the state directory's {@code secret} file and {@code STASIS_SECRET}. */
    public static Secret fromHex(String hex) {
        String trimmed = hex.strip();
        if (trimmed.length() != 2 * LENGTH || !trimmed.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a secret is " + 2 * LENGTH + " hex digits");
        }
        return new Secret(Bytes.fromHex(trimmed));
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return bytes.hex();
    }

    public byte[] toArray() {
        return bytes.toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[hidden]";
    }
}
