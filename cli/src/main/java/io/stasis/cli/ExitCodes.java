package io.stasis.cli;

/** The stable exit codes of docs/environment.md. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int COORDINATOR = 3;
    public static final int INVALID_IMAGE = 4;
    public static final int RESTART_FAILED = 5;
    public static final int CHECKPOINT_FAILED = 6;
    /** {@code stasis batch}: evicted, checkpointed and stopped; run it again to restart (sysexits' EX_TEMPFAIL). */
    public static final int EVICTED = 75;
    /** {@code stasis batch --condor}: the default checkpoint_exit_code, checkpointed to be rerun. */
    public static final int CHECKPOINT_EXIT = 85;
    public static final int NOT_FOUND = 127;
    public static final int KILLED = 137;

    private ExitCodes() {
    }
}
