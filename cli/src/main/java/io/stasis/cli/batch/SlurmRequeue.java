package io.stasis.cli.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code scontrol requeue $SLURM_JOB_ID}, run by the job itself once its checkpoint is safe: Slurm kills the
 * batch shell at once when a job is requeued, so it must come last. The job needs {@code --requeue} (or
 * the cluster's JobRequeue=1); the rerun finds the checkpoint and restarts from it.
 */
final class SlurmRequeue {

    private final String job;
    private final PrintStream log;

    /** @param job {@code $SLURM_JOB_ID}, null when not set */
    SlurmRequeue(String job, PrintStream log) {
        this.job = job;
        this.log = log;
    }

    void requeue() throws InterruptedException {
        if (job == null || job.isBlank()) {
            log.println("stasis batch: --slurm but SLURM_JOB_ID is not set: not requeued");
            return;
        }
        log.println("stasis batch: scontrol requeue " + job);
        log.flush();
        try {
            Process p = new ProcessBuilder(List.of("scontrol", "requeue", job)).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.println("stasis batch: scontrol requeue did not answer within 60 s");
            } else if (p.exitValue() != 0) {
                log.println("stasis batch: scontrol requeue failed with status " + p.exitValue());
            }
        } catch (IOException e) {
            log.println("stasis batch: cannot run scontrol: " + e.getMessage());
        }
    }
}
