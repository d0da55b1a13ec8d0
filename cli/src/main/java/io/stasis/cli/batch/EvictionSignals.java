package io.stasis.cli.batch;

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

    /** Installs {@code handler} for each signal (names without SIG); exit 2 for one the JVM refuses. */
    static void install(List<String> names, Consumer<String> handler) {
        for (String name : names) {
            try {
                Signal.handle(new Signal(name), s -> handler.accept("SIG" + s.getName()));
            } catch (IllegalArgumentException e) {
                throw new io.stasis.cli.CliException(io.stasis.cli.ExitCodes.USAGE,
                        "cannot catch SIG" + name + ": " + e.getMessage());
            }
        }
    }
}
