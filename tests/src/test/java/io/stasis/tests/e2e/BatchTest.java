package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.ProcessTable;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis batch} on its own: eviction signals, the exit statuses of docs/environment.md, a second signal
 * during the checkpoint, interval checkpoints keeping two generations, STASIS_TMPDIR=./.
 */
class BatchTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int STEPS = 120;

    @Test
    void anEvictedJobRunsAgainFromItsCheckpointWithNoGapAndNoRepeat() throws IOException {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path job = sandbox.work();
            List<String> output = new ArrayList<>();

            StasisProcess first = batch(sandbox, job);
            first.waitForOutput("^10 ", WAIT);
            first.signal("TERM");
            assertThat(first.waitFor(WAIT)).as(first.describe()).isEqualTo(75);
            assertThat(first.errorOutput()).contains("no complete checkpoint in stasis-ckpt: starting")
                    .contains("SIGTERM: checkpointing").contains("checkpoint generation 1 written");
            output.addAll(first.lines());

            StasisProcess second = batch(sandbox, job);
            second.waitForErrorOutput("restarting from checkpoint generation 1", WAIT);
            second.waitForOutput(lines -> lines.size() >= 5, WAIT);
            // the second signal comes during the checkpoint: it must neither stop it nor spoil generation 1
            sandbox.run("sh", "-c", "kill -USR1 " + second.pid() + "; kill -INT " + second.pid()).requireSuccess();
            assertThat(second.waitFor(WAIT)).as(second.describe()).isEqualTo(75);
            // both are pending at once and the kernel delivers the lower number (SIGINT) first
            assertThat(second.errorOutput()).containsPattern("SIG(USR1|INT): checkpointing")
                    .containsPattern("SIG(USR1|INT) during the eviction: ignored")
                    .contains("checkpoint generation 2 written");
            output.addAll(second.lines());

            StasisProcess last = batch(sandbox, job);
            assertThat(last.waitFor(WAIT)).as(last.describe()).isZero();
            assertThat(last.errorOutput()).contains("restarting from checkpoint generation 2")
                    .contains("the program exited with status 0");
            output.addAll(last.lines());
            HashChain.verify(output, STEPS, "three runs");
            // the state and logs of the private coordinator stay with the job (STASIS_TMPDIR=./)
            try (Stream<Path> tmp = Files.list(sandbox.tmp())) {
                assertThat(tmp.toList()).as("nothing in $TMPDIR").isEmpty();
            }
        }
    }

    @Test
    void intervalCheckpointsKeepTheLastTwoGenerations() throws IOException {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            StasisProcess job = sandbox.stasisCommand("batch", "--interval", "1", "--",
                    Programs.HOME.program("hashchain").toString(), "80", "50").directory(sandbox.work()).start();
            assertThat(job.waitFor(WAIT)).as(job.describe()).isZero();
            HashChain.verify(job.lines(), 80, "interval checkpoints");
            assertThat(job.errorOutput()).contains("checkpoint generation 3 written");
            List<Path> generations;
            try (Stream<Path> dirs = Files.list(sandbox.path("stasis-ckpt"))) {
                generations = dirs.sorted().toList();
            }
            assertThat(generations).as("generations kept").hasSize(2);
            for (Path g : generations) {
                assertThat(g.getFileName().toString()).startsWith("generation-");
                assertThat(g.resolve("stasis_restart_script.sh")).as(g + " complete").exists();
                try (Stream<Path> images = Files.list(g)) {
                    assertThat(images.filter(f -> f.getFileName().toString().endsWith(".stasis"))).hasSize(1);
                }
            }
        }
    }

    @Test
    void aKilledWrapperLeavesNoProgramRunning() throws InterruptedException {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            StasisProcess job = batch(sandbox, sandbox.work());
            job.waitForOutput("^3 ", WAIT);
            Set<Long> computation = ProcessTable.descendants(List.of(job.pid()));
            assertThat(computation).as("the program below the wrapper").isNotEmpty();
            job.kill9(); // a batch system's last resort
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (computation.stream().anyMatch(ProcessTable::isRunning) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(computation).as("processes of the computation still running").noneMatch(ProcessTable::isRunning);
        }
    }

    /**
     * A background job of a non-interactive shell starts with SIGINT ignored, and the JVM installs no handler
     * over an ignored signal: batch puts it back to default first, so SIGINT still evicts the job.
     */
    @Test
    void anEvictionSignalItsParentIgnoredStillEvicts() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path job = sandbox.work();
            StasisProcess first = sandbox.command("sh", "-c", "trap '' INT; exec \"$0\" \"$@\"",
                    Programs.HOME.stasis().toString(), "batch", "--", Programs.HOME.program("hashchain").toString(),
                    String.valueOf(STEPS), "50").name("batch-int-ignored").directory(job).env("STASIS_TMPDIR", "./")
                    .start();
            first.waitForOutput("^10 ", WAIT);
            first.signal("INT");
            assertThat(first.waitFor(WAIT)).as(first.describe()).isEqualTo(75);
            assertThat(first.errorOutput()).contains("SIGINT: checkpointing")
                    .contains("checkpoint generation 1 written")
                    .doesNotContain("stays ignored");
            List<String> output = new ArrayList<>(first.lines());

            StasisProcess last = batch(sandbox, job);
            assertThat(last.waitFor(WAIT)).as(last.describe()).isZero();
            assertThat(last.errorOutput()).contains("restarting from checkpoint generation 1");
            output.addAll(last.lines());
            HashChain.verify(output, STEPS, "evicted by SIGINT, then run again");
        }
    }

    @Test
    void badSignalsAndCodesAreUsageErrors() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            assertThat(sandbox.runStasis("batch", "--signal", "KILL", "--", "true").exitCode()).isEqualTo(2);
            assertThat(sandbox.runStasis("batch", "--exit-code", "0", "--", "true").exitCode()).isEqualTo(2);
            assertThat(sandbox.runStasis("batch", "--slurm", "--condor", "--", "true").exitCode()).isEqualTo(2);
        }
    }

    private static StasisProcess batch(Sandbox sandbox, Path job) {
        return sandbox.stasisCommand("batch", "--", Programs.HOME.program("hashchain").toString(),
                String.valueOf(STEPS), "50").directory(job).env("STASIS_TMPDIR", "./").start();
    }
}
