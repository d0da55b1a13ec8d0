package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `stasis command` verbs and `launch --interval` against a running program. */
class CommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void statusListsTheProcessAndKillStopsIt() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, Programs.named("counter").withCommand("${programs}/counter -1 100"),
                    PluginSet.all());
            StasisProcess launched = life.launch();
            launched.waitForOutput("^3$", WAIT);
            CommandResult status = life.coordinator().stasis("command", "--status", "--json").requireSuccess();
            assertThat(status.output()).contains("\"processes\"");
            CommandResult list = life.coordinator().stasis("command", "--list").requireSuccess();
            assertThat(list.output()).contains("counter").contains(String.valueOf(launched.pid()));
            life.coordinator().stasis("command", "--kill").requireSuccess();
            /* the launcher became the program (execve): its exit status is the program's */
            assertThat(launched.waitFor(WAIT)).isEqualTo(137);
        }
    }

    @Test
    void launchWithAnIntervalCheckpointsByItself() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.embedded(sandbox);
            List<String> args = new ArrayList<>(List.of("launch", "--interval", "1"));
            args.add(Programs.HOME.program("counter").toString());
            args.addAll(List.of("-1", "100"));
            StasisProcess launched = coordinator.command(args.toArray(String[]::new)).start();
            launched.waitForOutput("^30$", WAIT);
            assertThat(coordinator.images()).as("an image, without asking for one").hasSize(1);
            CommandResult status = coordinator.stasis("status").requireSuccess();
            assertThat(status.output()).contains("ckpt_counter_");
        }
    }
}
