package io.stasis.coordinator.protocol;

import java.util.Optional;

/** Codes of the {@code ERROR} frame. */
public enum ErrorCode {
    BAD_VERSION(1),
    BAD_SECRET(2),
    MALFORMED(3),
    UNKNOWN_MESSAGE(4),
    NOT_ALLOWED(5);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ErrorCode> of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
