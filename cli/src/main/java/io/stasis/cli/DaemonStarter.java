package io.stasis.cli;

import io.stasis.coordinator.state.StateDirectory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code stasis coordinator} detached: a new JVM in its own session ({@code setsid --fork}, so it is
 * nobody's child: not even of the program a launch turns into), stdin from /dev/null, output appended to
 * a log next to the state directories. Returns once the coordinator says it listens.
 */
final class DaemonStarter {

    /** A result of {@link #start}. */
    record Started(int port, Path log) {
    }

    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final CliContext ctx;

    DaemonStarter(CliContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param coordinatorArgs arguments of {@code stasis coordinator}, without {@code --daemon}
     * @param port            the port asked for (0: any), only to name the log
     * @throws CliException (exit 1) with the coordinator's own message when it could not start
     */
    Started start(List<String> coordinatorArgs, int port) {
        try {
            Path root = StateDirectory.createUserRoot(ctx.env());
            String tag = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
            Path ready = root.resolve(".ready-" + tag);
            Path log = root.resolve(port == 0 ? "coordinator-" + tag + ".log" : "coordinator-" + port + ".log");
            List<String> args = new ArrayList<>(List.of("coordinator"));
            args.addAll(coordinatorArgs);
            args.add("--ready-file=" + ready);
            List<String> command = new ArrayList<>(List.of("setsid", "--fork"));
            command.addAll(ctx.self().with(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(ctx.workingDirectory().toFile())
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(ctx.env());
            // a JVM must not run under libstasis (e.g. when stasis is called from a checkpointed shell)
            pb.environment().remove("LD_PRELOAD");
            int listening;
            try {
                listening = await(pb.start(), ready, log);
            } finally {
                Files.deleteIfExists(ready);
            }
            if (port == 0) {
                // name the log after the port, like the others; the daemon's descriptor follows the rename
                Path byPort = root.resolve("coordinator-" + listening + ".log");
                Files.move(log, byPort, StandardCopyOption.REPLACE_EXISTING);
                log = byPort;
            }
            return new Started(listening, log);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot start a coordinator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted while starting a coordinator");
        }
    }

    private static int await(Process setsid, Path ready, Path log) throws IOException, InterruptedException {
        if (!setsid.waitFor(10, TimeUnit.SECONDS) || setsid.exitValue() != 0) {
            throw new CliException(ExitCodes.ERROR, "cannot start a coordinator: setsid failed (see " + log + ")");
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ReadyFile.Answer> answer = ReadyFile.read(ready);
            if (answer.isPresent()) {
                if (answer.get().ok()) {
                    return answer.get().port();
                }
                throw new CliException(ExitCodes.ERROR, answer.get().error());
            }
            // another process, another JVM: there is nothing to wait on but the file system
            Thread.sleep(20);
        }
        throw new CliException(ExitCodes.ERROR, "the coordinator did not start within "
                + READY_TIMEOUT.toSeconds() + " s (see " + log + ")");
    }
}
