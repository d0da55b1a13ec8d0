package io.stasis.cli;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Signals this process inherited ignored. A background job of a non-interactive shell starts with SIGINT and
 * SIGQUIT ignored, and an ignored disposition survives exec: left alone, a program (or {@code stasis batch}'s
 * own handler, which the JVM refuses to install over SIG_IGN) would never hear them.
 */
public final class IgnoredSignals {

    private IgnoredSignals() {
    }

    /** Puts {@code signal} back to its default action if it is ignored. */
    public static void restoreDefault(int signal) {
        restoreDefault(Native.load("c", LibC.class), signal);
    }

    /** Whether {@code signal} is ignored now. */
    public static boolean isIgnored(int signal) {
        return isIgnored(Native.load("c", LibC.class), signal);
    }

    static void restoreDefault(LibC libc, int signal) {
        if (isIgnored(libc, signal)) {
            libc.signal(signal, Pointer.NULL); // SIG_DFL
        }
    }

    private static boolean isIgnored(LibC libc, int signal) {
        Memory old = new Memory(LibC.SIGACTION_SIZE);
        old.clear();
        return libc.sigaction(signal, Pointer.NULL, old) == 0 && old.getLong(0) == LibC.SIG_IGN;
    }
}
