package io.stasis.cli;

import io.stasis.coordinator.state.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a detached coordinator tells the command that started it whether it listens: one line,
 * {@code ok <port>} or {@code error <message>}, written atomically.
 */
final class ReadyFile {

    /** What the file says, once written. */
    record Answer(boolean ok, int port, String error) {
    }

    private ReadyFile() {
    }

    static void ok(Path file, int port) throws IOException {
        PrivateFiles.write(file, "ok " + port + "\n");
    }

    static void error(Path file, String message) throws IOException {
        PrivateFiles.write(file, "error " + message.replace('\n', ' ') + "\n");
    }

    static Optional<Answer> read(Path file) throws IOException {
        String line;
        try {
            line = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (line.startsWith("ok ")) {
            return Optional.of(new Answer(true, Integer.parseInt(line.substring(3).strip()), ""));
        }
        return Optional.of(new Answer(false, 0, line.startsWith("error ") ? line.substring(6) : line));
    }
}
