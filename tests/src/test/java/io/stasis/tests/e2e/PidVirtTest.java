package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * DMTCP's --disable-pid-virtualization: without pid-virt a single process still
 * checkpoints and restarts, but the ids it sees change at restart; with it they do
 * not (execer.desc, tree.desc and the others run with it).
 */
class PidVirtTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PID = Pattern.compile("^(\\d+) pid=(\\d+)$");

    @Test
    void withoutPidVirtAProcessRestartsWithNewIds() {
        ProgramDescription pids = Programs.named("execer").withCommand("${programs}/execer --after-exec 40");
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Lifecycle life = new Lifecycle(sandbox, pids, PluginSet.coreWith(List.of()));
            Lifecycle.Checkpointed checkpointed = life.checkpointAndKill();
            StasisProcess restarted = life.coordinator().restart(checkpointed.image());
            List<String> lines = checkpointed.launched().waitForOutput(
                    l -> l.contains("done"), WAIT);
            assertThat(restarted.waitFor(WAIT)).isZero();
            List<Long> seen = lines.stream().map(PID::matcher).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(2))).distinct().toList();
            assertThat(seen).as("the pid before and the one after restart\n" + String.join("\n", lines))
                    .hasSize(2);
            OutputCheck.verify(pids.withoutSame(), lines, "core only");
        }
    }
}
