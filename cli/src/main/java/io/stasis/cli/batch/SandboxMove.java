package io.stasis.cli.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The job's directory (HTCondor's sandbox) at the time of a checkpoint, kept in the generation's directory as
 * {@code stasis_batch_sandbox}, and what is done when a rerun finds itself in another one. The images record
 * the program's working directory and its open files by absolute path, and HTCondor gives every run a new
 * sandbox ({@code execute/dir_<pid>}); Slurm reruns in the same directory. When the directory moved, the
 * restart is told so ({@code stasis restart --path-map OLD=NEW}): the restored program's working directory,
 * files, fifos and mappings are then the new ones, and its next checkpoint records the new path. Nothing is
 * needed at the old path, which a real execute directory does not let the job write.
 */
final class SandboxMove {

    static final String FILE_NAME = "stasis_batch_sandbox";

    private SandboxMove() {
    }

    /** Records {@code sandbox} in a complete generation's directory, durably. */
    static void record(Path generationDir, Path sandbox) throws IOException {
        Path file = generationDir.resolve(FILE_NAME);
        Files.writeString(file, sandbox.toString() + "\n", StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Before restarting {@code generationDir} in {@code sandbox}: the {@code --path-map} entry
     * ({@code OLD=NEW}) when the job's directory moved since that checkpoint, else empty.
     */
    static Optional<String> pathMap(Path generationDir, Path sandbox, PrintStream log) {
        Path file = generationDir.resolve(FILE_NAME);
        Path old;
        try {
            old = Path.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not written by stasis batch, or before it knew
        }
        if (!old.isAbsolute() || old.equals(sandbox)) {
            return Optional.empty();
        }
        log.println("stasis batch: the job's directory moved from " + old + " to " + sandbox
                + ": restarting with --path-map");
        return Optional.of(old + "=" + sandbox);
    }
}
