package io.stasis.cli;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Directories the command line makes for the program (checkpoints, logs): one clear line when it cannot. */
public final class Directories {

    private Directories() {
    }

    /**
     * Creates {@code dir} and its parents if needed; exit 1 when it cannot be made or written.
     *
     * @param role what the directory is for, in messages: "checkpoint directory", …
     */
    public static void createWritable(Path dir, String role) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.ERROR, "the " + role + " " + dir + " is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot create the " + role + " " + dir + ": " + ErrorText.of(e));
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(ExitCodes.ERROR, "the " + role + " " + dir + " is not writable");
        }
    }
}
