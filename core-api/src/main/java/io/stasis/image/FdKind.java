package io.stasis.image;

import java.util.Optional;

/** The {@code kind} field of an FDS record. */
public enum FdKind {
    REGULAR(1, "file"),
    DIRECTORY(2, "dir"),
    CHAR_DEVICE(3, "chr"),
    PIPE_READ(4, "pipe-r"),
    PIPE_WRITE(5, "pipe-w"),
    TERMINAL(6, "tty"),
    SOCKET(7, "socket"),
    OTHER(8, "other");

    private final int code;
    private final String shortName;

    FdKind(int code, String shortName) {
        this.code = code;
        this.shortName = shortName;
    }

    public int code() {
        return code;
    }

    public String shortName() {
        return shortName;
    }

    public static Optional<FdKind> of(int code) {
        for (FdKind kind : values()) {
            if (kind.code == code) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
