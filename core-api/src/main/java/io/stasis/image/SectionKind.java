package io.stasis.image;

import java.util.Optional;

/** Section kinds of format version 1, in the order they appear in an image. */
public enum SectionKind {
    PROCESS(1),
    THREADS(2),
    REGIONS(3),
    FDS(4),
    SIGNALS(5),
    CHILDREN(6),
    PLUGIN(16),
    MEMORY(32);

    private final int code;

    SectionKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Empty for a kind this reader does not know (it is skipped by its length). */
    public static Optional<SectionKind> of(int code) {
        for (SectionKind kind : values()) {
            if (kind.code == code) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The kind's name, or {@code "kind N"} for an unknown one. */
    public static String nameOf(int code) {
        return of(code).map(Enum::name).orElse("kind " + Integer.toUnsignedString(code));
    }
}
