package io.stasis.cli.batch;

import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import io.stasis.cli.IgnoredSignals;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Catches the eviction signals in this JVM. {@code sun.misc.Signal} (module jdk.unsupported) is the only way
 * Java has; HotSpot leaves SIGTERM, SIGINT, SIGHUP and SIGUSR1 to the application (it keeps SIGQUIT for thread
 * dumps and SIGUSR2 is libstasis's checkpoint signal, so neither is accepted). Handlers run on the JVM's
 * signal dispatcher thread, so a signal that arrives during a checkpoint is seen at once, not after it.
 */
final class EvictionSignals {

    private EvictionSignals() {
    }

    /**
     * Installs {@code handler} for each signal (names without SIG); exit 2 for one the JVM refuses. A signal
     * this process inherited ignored is put back to its default first: the JVM does not install a handler over
     * SIG_IGN, and a batch job started in the background by a script would never hear its eviction signal.
     * Should one still stay ignored, {@code log} says so at once.
     */
    static void install(List<String> names, Consumer<String> handler, PrintStream log) {
        for (String name : names) {
            Signal signal;
            try {
                signal = new Signal(name);
                IgnoredSignals.restoreDefault(signal.getNumber());
                Signal.handle(signal, s -> handler.accept("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "cannot catch SIG" + name + ": " + e.getMessage());
            }
            if (IgnoredSignals.isIgnored(signal.getNumber())) {
                log.println("stasis batch: warning: SIG" + name + " stays ignored (as this command's parent left "
                        + "it): it will not evict the job");
            }
        }
    }
}
