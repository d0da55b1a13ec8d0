package io.stasis.image;

/** One signal's disposition from the SIGNALS section. */
public record SignalAction(int signo, int flags, long handler, long restorer, long mask) {

    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };
    /** glibc reserves 32 and 33; the program's SIGRTMIN is 34. */
    private static final int SIGRTMIN = 34;

    public boolean isDefault() {
        return handler == SIG_DFL;
    }

    public boolean isIgnored() {
        return handler == SIG_IGN;
    }

    public String signalName() {
        if (signo > 0 && signo < NAMES.length) {
            return NAMES[signo];
        }
        if (signo >= SIGRTMIN && signo <= 64) {
            return signo == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signo - SIGRTMIN);
        }
        return "SIG" + Integer.toUnsignedString(signo);
    }

    /** {@code SIG_DFL}, {@code SIG_IGN} or the handler's address. */
    public String handlerName() {
        if (isDefault()) {
            return "SIG_DFL";
        }
        if (isIgnored()) {
            return "SIG_IGN";
        }
        return Hex.address(handler);
    }
}
