package io.stasis.coordinator.protocol;

import java.util.Optional;

/** Who is authenticating: the checkpoint thread of a process, or a command client. */
public enum Role {
    PROCESS(1),
    COMMAND(2);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<Role> of(int code) {
        for (Role r : values()) {
            if (r.code == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
