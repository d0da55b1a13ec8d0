package io.stasis.coordinator.protocol;

import java.util.Optional;

/** Codes of the {@code ERROR} frame. */
public enum ErrorCode {
    BAD_VERSION(1),
    BAD_SECRET(2),
    MALFORMED(3),
    UNKNOWN_MESSAGE(4),
    NOT_ALLOWED(5),
    /** REGISTER of a unique id that is registered already: a second copy of a live process (restarted twice). */
    ALREADY_RUNNING(6);

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
