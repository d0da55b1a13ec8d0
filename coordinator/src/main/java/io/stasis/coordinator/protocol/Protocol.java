package io.stasis.coordinator.protocol;

/** Constants of docs/protocol.md that are not tied to one message. */
public final class Protocol {

    /** The only version this coordinator speaks. */
    public static final int VERSION = 1;

    /**
     * What this coordinator understands beyond version 1 as first published, announced in CHALLENGE: a
     * client sends a later message only to a coordinator of a revision that knows it, so either side may be
     * older. 1: UNRESTORED.
     */
    public static final int REVISION = 1;
    public static final int REVISION_UNRESTORED = 1;

    /** Length of the CHALLENGE nonce and of the AUTH mac. */
    public static final int NONCE_LENGTH = 32;
    public static final int MAC_LENGTH = 32;

    /** REGISTER state values. */
    public static final int STATE_RUNNING = 1;
    public static final int STATE_RESTARTING = 2;

    /** BYE reasons. */
    public static final int BYE_EXIT = 0;
    public static final int BYE_EXEC = 1;

    /** The checkpoint barriers of docs/protocol.md, in order; the last one ends a checkpoint. */
    public static final String SUSPENDED = "SUSPENDED";
    public static final String DRAINED = "DRAINED";
    public static final String WRITTEN = "WRITTEN";
    public static final String CHECKPOINTED = "CHECKPOINTED";

    /** The restart barriers; once REFILLED is released a restarted process runs normally. */
    public static final String RESTARTED = "RESTARTED";
    public static final String REFILLED = "REFILLED";

    private Protocol() {
    }
}
