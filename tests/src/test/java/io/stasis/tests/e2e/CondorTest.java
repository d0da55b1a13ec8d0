package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis batch --condor} under a starter that behaves as HTCondor's ({@link CondorStarter}): one job,
 * the vanilla-universe submit file (kill_sig = 2, ON_EXIT_OR_EVICT, STASIS_TMPDIR=./) plus self-checkpointing
 * (checkpoint_exit_code = 85, transfer_checkpoint_files = stasis-ckpt/), evicted three times and
 * checkpoint-exiting twice, each eviction moving it to a new sandbox: its output is exactly the hash chain.
 */
class CondorTest {

    /*
     * 100 ms a step and a checkpoint exit every 8 s of a run, of which starting two JVMs and restoring takes
     * about 2: the evicted runs print about 10 lines each, the two that checkpoint-exit about 57, some 150 in
     * all give or take 15 with the machine's load; the last run has 20-50 left, fewer than the 57 it could
     * print before its interval, so it completes and the counts of the issue are exact. On a machine so busy
     * that restarts take twice as long, the last run checkpoint-exits once more before it completes.
     */
    private static final int STEPS = 185;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aJobSurvivesThreeEvictionsAndTwoCheckpointExits() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            CondorStarter.Submit submit = new CondorStarter.Submit(
                    List.of(Programs.HOME.stasis().toString(), "batch", "--condor", "--interval", "8", "--",
                            "./hashchain", String.valueOf(STEPS), "100"),
                    Map.of("STASIS_TMPDIR", "./"), "INT", 85, "stasis-ckpt/", true,
                    List.of(Programs.HOME.program("hashchain")));
            CondorStarter starter = new CondorStarter(sandbox, submit);

            CondorStarter.Run run = starter.startInNewSandbox();
            evictAfterProgress(starter, run);                       // eviction 1, before any checkpoint
            run = starter.startInNewSandbox();
            run = starter.awaitExit(run, 85);                       // checkpoint exit 1: rerun, same sandbox
            evictAfterProgress(starter, run);                       // eviction 2
            run = starter.startInNewSandbox();
            run = starter.awaitExit(run, 85);                       // checkpoint exit 2
            evictAfterProgress(starter, run);                       // eviction 3
            run = starter.startInNewSandbox();
            int more = 0;
            while ((run = starter.awaitExit(run, 0, 85)) != null) { // the job completes (on a machine too
                more++;                                             // busy for the plan, after more exits)
            }
            if (more > 0) {
                System.err.println("CondorTest: the last run needed " + more + " more checkpoint exit(s)");
            }

            HashChain.verify(starter.output(), STEPS, String.join("\n", starter.history()) + "\n" + starter.errors());
            assertThat(starter.errors()).contains("the job's directory moved from")
                    .contains("interval checkpoint, then exit 85").contains("SIGINT: checkpointing");
        }
    }

    /** The README's submit files say what this test runs: the documented form must be the tested one. */
    @Test
    void theReadmesSubmitFilesUseWhatThisTestRuns() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(Programs.HOME.repo().resolve("README.md"));
        String condor = readme.substring(readme.indexOf("## Under HTCondor"));
        condor = condor.substring(0, condor.indexOf("\n## ", 3));
        assertThat(condor).contains("arguments                 = \"batch --condor --interval ")
                .contains("checkpoint_exit_code      = 85").contains("transfer_checkpoint_files = stasis-ckpt/")
                .contains("kill_sig                  = 2").contains("when_to_transfer_output   = ON_EXIT_OR_EVICT")
                .contains("environment               = \"STASIS_TMPDIR=./\"");
    }

    /** Lets the run print a few lines of its own, so that every run makes progress, then evicts it. */
    private static void evictAfterProgress(CondorStarter starter, CondorStarter.Run run) {
        Supplier<String> why = () -> starter.describe(run);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (run.newLines() < 10) {
            assertThat(System.nanoTime()).as("10 lines within " + WAIT.toSeconds() + " s\n%s", why.get())
                    .isLessThan(deadline);
            assertThat(run.job().isAlive()).as("job alive\n%s", why.get()).isTrue();
            sleep(50);
        }
        assertThat(starter.evict(run)).as("exit status after kill_sig\n%s", why.get()).isEqualTo(75);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
