package io.stasis.cli.batch;

import io.stasis.cli.CheckpointAnswer;
import io.stasis.cli.ExitCodes;
import io.stasis.coordinator.client.CommandClient;
import io.stasis.coordinator.script.GenerationDirectories;
import io.stasis.coordinator.script.GenerationDirectories.Generation;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a batch job, from the start of the computation to this command's exit status: waits for the
 * program to end, for an eviction signal, or for the next interval checkpoint. Everything happens on the
 * calling thread; signal handlers and the child's end only post events, so a second signal during a
 * checkpoint is noticed (and ignored) without disturbing it.
 */
final class BatchRun {

    /** How long a computation killed by the coordinator gets to disappear before it is killed from here. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String EXITED = "exited";

    private final BatchSettings settings;
    private final Path sandbox;
    private final int port;
    private final Secret secret;
    private final PrintStream log;
    private final Optional<SlurmRequeue> slurm;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** Set by the first eviction signal: the ones after it change nothing. */
    private final AtomicBoolean evicting = new AtomicBoolean();

    BatchRun(BatchSettings settings, Path sandbox, int port, Secret secret, PrintStream log,
             Optional<SlurmRequeue> slurm) {
        this.slurm = slurm;
        this.settings = settings;
        this.sandbox = sandbox;
        this.port = port;
        this.secret = secret;
        this.log = log;
    }

    /** Called from the signal dispatcher thread. */
    void signalled(String name) {
        if (evicting.compareAndSet(false, true)) {
            events.add(name);
        } else {
            log.println("stasis batch: " + name + " during the eviction: ignored, the checkpoint goes on");
        }
    }

    int run(Computation computation) throws InterruptedException {
        computation.process().onExit().thenRun(() -> events.add(EXITED));
        long interval = settings.interval() * 1_000_000_000L;
        long next = System.nanoTime() + interval;
        while (true) {
            String event = interval > 0 ? events.poll(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)
                    : events.take();
            if (EXITED.equals(event)) {
                int status = computation.awaitExit(Duration.ZERO);
                log.println("stasis batch: the program exited with status " + status);
                return status;
            }
            if (event != null) {
                return evict(computation, event);
            }
            next = System.nanoTime() + interval;
            if (settings.mode() == BatchSettings.Mode.CONDOR) {
                // HTCondor's self-checkpointing: exit with checkpoint_exit_code, the starter uploads and reruns
                log.println("stasis batch: interval checkpoint, then exit " + settings.exitCode()
                        + " for the batch system to save it and run this again");
                if (checkpoint(true, false)) {
                    return stoppedAfterCheckpoint(computation, settings.exitCode());
                }
                // any other status would tell HTCondor the job is done: go on, and try at the next interval
                log.println("stasis batch: the program goes on; next try in " + settings.interval() + " s");
                continue;
            }
            checkpoint(false, false);
        }
    }

    /** The eviction signal: checkpoint, stop, and (under Slurm) requeue. */
    private int evict(Computation computation, String signal) throws InterruptedException {
        log.println("stasis batch: " + signal + ": checkpointing, then stopping the program");
        return stopped(computation, ExitCodes.EVICTED, true);
    }

    /** Checkpoint and stop the computation; {@code success} as this command's status if the images are safe. */
    private int stopped(Computation computation, int success, boolean requeue) throws InterruptedException {
        boolean saved = checkpoint(true, true);
        int status = saved ? stoppedAfterCheckpoint(computation, success) : computation.awaitExit(STOP_GRACE);
        if (!saved) {
            if (status >= 0 && status != 137) {
                // it ended on its own while the checkpoint was tried: that is its result
                log.println("stasis batch: the program exited with status " + status);
                return status;
            }
            computation.destroy();
        }
        if (requeue && slurm.isPresent()) {
            slurm.get().requeue();
        }
        return saved ? success : ExitCodes.CHECKPOINT_FAILED;
    }

    /** The processes were killed at the end of the checkpoint: waits until they are gone, or kills what is left. */
    private int stoppedAfterCheckpoint(Computation computation, int success) throws InterruptedException {
        if (computation.awaitExit(STOP_GRACE) < 0) {
            log.println("stasis batch: the program did not stop within " + STOP_GRACE.toSeconds() + " s: killed");
            computation.destroy();
            computation.awaitExit(STOP_GRACE);
        }
        return success;
    }

    /**
     * A blocking checkpoint, stopping the processes at its end if {@code stop}; true if it completed. When it
     * failed the processes go on, unless {@code killOnFailure}.
     */
    private boolean checkpoint(boolean stop, boolean killOnFailure) {
        long started = System.nanoTime();
        try (CommandClient client = CommandClient.connect("127.0.0.1", port, secret)) {
            CommandResult result = stop ? client.checkpointAndStop(p -> { }) : client.blockingCheckpoint(p -> { });
            CheckpointAnswer answer = CheckpointAnswer.of(result.text());
            answer.warnings().forEach(w -> log.println("stasis batch: " + w));
            if (!result.ok()) {
                log.println("stasis batch: checkpoint failed: " + answer.outcome());
                if (killOnFailure) {
                    client.kill();
                }
                return false;
            }
            Optional<Generation> written = GenerationDirectories.latestComplete(settings.checkpointDir());
            if (written.isEmpty()) {
                log.println("stasis batch: checkpoint done but no complete generation in " + settings.checkpointDir());
                return false;
            }
            SandboxMove.record(written.get().directory(), sandbox);
            syncTree(written.get().directory());
            log.println("stasis batch: checkpoint generation " + written.get().number() + " written to "
                    + sandbox.relativize(written.get().directory()) + " in "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms ("
                    + megabytes(written.get().directory()) + ")");
            return true;
        } catch (IOException e) {
            log.println("stasis batch: checkpoint failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * Every file of the generation, its directory and the checkpoint directory on disk: the processes fsync their
     * images and the coordinator its script, but a batch system copies the directory away as soon as this command
     * exits, and a power cut must not leave a generation that looks complete and is not.
     */
    private void syncTree(Path generation) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(generation)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
                        c.force(true);
                    }
                }
            }
        }
        for (Path dir : List.of(generation, settings.checkpointDir())) {
            try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
                c.force(true);
            }
        }
    }

    private static String megabytes(Path generation) throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(generation)) {
            for (Path f : files) {
                bytes += Files.isRegularFile(f) ? Files.size(f) : 0;
            }
        }
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
