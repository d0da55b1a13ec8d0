package io.stasis.coordinator.protocol;

import java.util.Optional;

/** Verbs of the {@code COMMAND} frame. */
public enum Verb {
    CHECKPOINT(1),
    BLOCKING_CHECKPOINT(2),
    KILL(3),
    STATUS(4),
    LIST(5),
    SET_INTERVAL(6),
    QUIT(7),
    /** Argument: the pid of a launcher about to become the program; checkpoints wait for it to register. */
    EXPECT_PROCESS(8),
    /**
     * A blocking checkpoint after which every process is killed instead of resumed: nothing runs past the
     * images, so output written after them is not written twice by the restarted computation (eviction).
     */
    CHECKPOINT_AND_STOP(9);

    private final int code;

    Verb(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<Verb> of(int code) {
        for (Verb v : values()) {
            if (v.code == code) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
