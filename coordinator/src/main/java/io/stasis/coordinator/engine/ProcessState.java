package io.stasis.coordinator.engine;

import java.util.Locale;

/** Where a registered process is in its life, as shown by {@code stasis command --list}. */
public enum ProcessState {
    /** Running normally; takes part in the next checkpoint. */
    RUNNING,
    /** Taking part in the checkpoint that is running. */
    CHECKPOINTING,
    /** Restarted from an image, not yet past the REFILLED barrier. */
    RESTARTING;

    /** The lowercase name used in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
