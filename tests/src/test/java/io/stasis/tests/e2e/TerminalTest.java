package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A program started on a terminal and restarted on another one: its descriptors that were on the old
 * terminal are on the new one, the standard three and a dup above them alike, whatever plugins are loaded
 * (script(1) gives each command a pseudo-terminal of its own).
 */
class TerminalTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ALL_ON_A_TERMINAL = "tty 0:y 1:y 2:y 5:y";

    @Test
    void descriptorsOnTheLaunchTerminalAreOnTheRestartTerminal() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.embedded(sandbox);
            String program = Programs.HOME.program("ttycheck").toString();
            StasisProcess launched = onATerminal(sandbox, coordinator, "launch", program, "80");
            launched.waitForOutput("^tick 5 ", WAIT);
            coordinator.checkpoint().requireSuccess();
            List<Path> images = coordinator.images();
            launched.kill9Tree();

            StasisProcess restarted = onATerminal(sandbox, coordinator,
                    Stream.concat(Stream.of("restart"), images.stream().map(Path::toString)).toArray(String[]::new));
            restarted.waitForOutput("^done", WAIT);
            List<String> ticks = restarted.lines().stream().map(String::strip).filter(l -> l.startsWith("tick"))
                    .toList();
            assertThat(ticks).as(restarted.describe()).isNotEmpty()
                    .allMatch(l -> l.endsWith(ALL_ON_A_TERMINAL), "on the restarting command's terminal");
            assertThat(ticks.get(ticks.size() - 1)).startsWith("tick 80 ");
        }
    }

    /** {@code stasis <args>} run by script(1) on a new pseudo-terminal, its output in the process's stdout. */
    private static StasisProcess onATerminal(Sandbox sandbox, Coordinator coordinator, String... args) {
        StringBuilder command = new StringBuilder(Programs.HOME.stasis().toString());
        for (String arg : args) {
            command.append(' ').append(arg);
        }
        return sandbox.command("script", "-qfec", command.toString(), "/dev/null").env(coordinator.environment())
                .name("script-" + args[0]).start();
    }
}
