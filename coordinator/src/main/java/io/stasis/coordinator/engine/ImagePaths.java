package io.stasis.coordinator.engine;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a process writes its image (docs/image-format.md): {@code <dir>/ckpt_<program>_<unique id>.stasis},
 * first as {@code <dir>/.ckpt_<program>_<unique id>.stasis.<kernel pid>.tmp}: the writer's own name, so that two
 * copies of one process (an image restarted while it ran) never write or rename each other's file.
 */
public record ImagePaths(Path image, Path temporary) {

    /**
     * The paths of {@code process}'s image in a checkpoint whose CHECKPOINT named {@code checkpointDir}
     * (empty: the process's own directory). Empty when they cannot be named safely: a relative directory,
     * or a program or unique id that is not a plain file name part.
     */
    public static Optional<ImagePaths> of(ProcessRecord process, String checkpointDir) {
        String dir = checkpointDir.isEmpty() ? process.checkpointDir() : checkpointDir;
        if (!plain(process.program()) || !plain(process.uniqueId()) || dir.isEmpty() || dir.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            Path directory = Path.of(dir);
            if (!directory.isAbsolute()) {
                return Optional.empty();
            }
            String name = "ckpt_" + process.program() + "_" + process.uniqueId() + ".stasis";
            String temporary = "." + name + "." + process.realPid() + ".tmp";
            return Optional.of(new ImagePaths(directory.resolve(name), directory.resolve(temporary)));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** A name an authenticated but buggy peer sent must not reach outside the directory. */
    private static boolean plain(String part) {
        return !part.isEmpty() && part.indexOf('/') < 0 && part.indexOf('\0') < 0 && !part.equals("..");
    }
}
