package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis batch --slurm} under a real Slurm ({@link SlurmCluster}), with the job script of the README:
 * one minute of time limit, USR1 to the batch shell 40 s before it, requeue, output appended. Slurm checks time
 * limits every 30 s, so the signal comes 20 to 50 s into a run; the hash chain needs 55 s, so the job is
 * signalled at least once, checkpoints, requeues itself, is restarted by the rerun and completes, with output
 * that has no gap and no repeat across the requeues.
 */
class SlurmTest {

    private static final int STEPS = 550;
    private static final Duration JOB_LIMIT = Duration.ofMinutes(5);
    private static final Pattern CHAIN = Pattern.compile("^(\\d+ [0-9a-f]{16}|done \\d+)$");

    private static SlurmCluster cluster;
    private static Optional<String> unavailable = Optional.empty();

    @BeforeAll
    static void startSlurm() throws Exception {
        unavailable = SlurmCluster.unavailable();
        if (unavailable.isPresent()) {
            System.err.println("\n***** SlurmTest: the Slurm test is SKIPPED: " + unavailable.get() + " *****\n");
            return;
        }
        cluster = SlurmCluster.start();
    }

    @AfterAll
    static void stopSlurm() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJobSignalledBeforeItsTimeLimitCheckpointsRequeuesAndCompletes() throws IOException, InterruptedException {
        Assumptions.assumeTrue(cluster != null, () -> "SKIPPED LOUDLY: " + unavailable.orElse("no cluster"));
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path script = sandbox.path("job.sh");
            Files.writeString(script, String.join("\n",
                    "#!/bin/bash",
                    "#SBATCH --job-name=stasis-hashchain",
                    "#SBATCH --time=1 --signal=B:USR1@40 --requeue --open-mode=append",
                    "#SBATCH --output=job.out",
                    "exec " + Programs.HOME.stasis() + " batch --slurm -- " + Programs.HOME.program("hashchain")
                            + " " + STEPS + " 100",
                    ""));
            CommandResult submitted = sandbox.command("sbatch", "--parsable", script.toString())
                    .env(cluster.environment()).directory(sandbox.work()).run().requireSuccess();
            String job = submitted.output().strip().split(";")[0];

            String state = awaitEnd(job);
            Path out = sandbox.path("job.out");
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            String context = "job " + job + " " + state + "\n--- job.out:\n" + String.join("\n", lines) + "\n"
                    + cluster.logs();
            assertThat(state).as(context).isEqualTo("COMPLETED");
            int restarts = Integer.parseInt(cluster.jobField(job, "Restarts").orElse("0"));
            assertThat(restarts).as("requeued at least once\n" + context).isPositive();
            String all = String.join("\n", lines);
            assertThat(all).as(context).contains("SIGUSR1: checkpointing").contains("scontrol requeue " + job)
                    .contains("restarting from checkpoint generation 1")
                    .contains("the program exited with status 0");
            assertThat(count(all, "restarting from checkpoint generation")).as(context).isEqualTo(restarts);
            HashChain.verify(lines.stream().filter(l -> CHAIN.matcher(l).matches()).toList(), STEPS,
                    "across " + restarts + " requeues\n" + context);
        }
    }

    /** The README's job script has what this test's relies on (it is not skipped with the cluster). */
    @Test
    void theReadmesJobScriptIsTheOneTested() throws IOException {
        String readme = Files.readString(Programs.HOME.repo().resolve("README.md"));
        String slurm = readme.substring(readme.indexOf("## Under Slurm"), readme.indexOf("## Under HTCondor"));
        assertThat(slurm).containsPattern("#SBATCH --signal=B:USR1@\\d+").contains("#SBATCH --requeue")
                .contains("#SBATCH --open-mode=append").contains("exec stasis batch --slurm ");
    }

    private static String awaitEnd(String job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            String state = cluster.jobField(job, "JobState").orElse("UNKNOWN");
            if (List.of("COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL", "OUT_OF_MEMORY").contains(state)) {
                return state;
            }
            Thread.sleep(1000);
        }
        return "still " + cluster.jobField(job, "JobState").orElse("UNKNOWN") + " after " + JOB_LIMIT.toMinutes()
                + " min";
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
