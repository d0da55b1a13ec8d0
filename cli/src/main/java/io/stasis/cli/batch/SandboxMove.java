package io.stasis.cli.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The job's directory (HTCondor's sandbox) at the time of a checkpoint, kept in the generation's directory as
 * {@code stasis_batch_sandbox}, and what is done when a rerun finds itself in another one. The images record
 * the program's working directory and its open files by absolute path, and HTCondor gives every run a new
 * sandbox ({@code execute/dir_<pid>}); Slurm reruns in the same directory. When the old directory is gone and
 * its parent is writable (as in a test harness, or a scratch directory of the user's), a symbolic link from
 * the old path to the new directory lets the restored program find everything where it was: the kernel
 * resolves it at once, so the program's working directory and files are then the new ones, and the next
 * checkpoint records the new path. The link is removed when this run ends. Otherwise the restart fails
 * with the restarter's message saying which path it missed.
 */
final class SandboxMove implements AutoCloseable {

    static final String FILE_NAME = "stasis_batch_sandbox";

    private final Optional<Path> link;

    private SandboxMove(Optional<Path> link) {
        this.link = link;
    }

    /** Nothing moved (a first run). */
    static SandboxMove none() {
        return new SandboxMove(Optional.empty());
    }

    /** Records {@code sandbox} in a complete generation's directory, durably. */
    static void record(Path generationDir, Path sandbox) throws IOException {
        Path file = generationDir.resolve(FILE_NAME);
        Files.writeString(file, sandbox.toString() + "\n", StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Before restarting {@code generationDir} in {@code sandbox}: links the old sandbox here if it moved. */
    static SandboxMove prepare(Path generationDir, Path sandbox, PrintStream log) {
        Path file = generationDir.resolve(FILE_NAME);
        Path old;
        try {
            old = Path.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return new SandboxMove(Optional.empty()); // not written by stasis batch, or before it knew
        }
        if (!old.isAbsolute() || old.equals(sandbox)) {
            return new SandboxMove(Optional.empty());
        }
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(old)) {
                try {
                    // a link left by a run that was killed: point it here
                    Files.delete(old);
                } catch (IOException e) {
                    log.println("stasis batch: the job moved from " + old + ", which cannot be replaced: " + e);
                    return new SandboxMove(Optional.empty());
                }
            } else {
                log.println("stasis batch: warning: the job moved from " + old + ", which still exists: the "
                        + "restarted program works there");
                return new SandboxMove(Optional.empty());
            }
        }
        try {
            Files.createSymbolicLink(old, sandbox);
            log.println("stasis batch: the job's directory moved from " + old + " to " + sandbox
                    + ": linked for the restart");
            return new SandboxMove(Optional.of(old));
        } catch (IOException e) {
            log.println("stasis batch: the job's directory moved from " + old + " to " + sandbox
                    + " and the old path cannot be linked here (" + e.getMessage() + "): the restart needs it");
            return new SandboxMove(Optional.empty());
        }
    }

    @Override
    public void close() {
        link.ifPresent(l -> {
            try {
                Files.deleteIfExists(l);
            } catch (IOException e) {
                // best effort: a later run replaces a stale link
            }
        });
    }
}
