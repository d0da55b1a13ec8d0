package io.stasis.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A file a process writes its stdout or stderr to. A file, not a pipe: the output survives
 * kill -9 of the writer, is inherited by whatever it forks or restarts, and can be read while
 * it grows.
 */
final class OutputFile {

    private final Path path;

    OutputFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    String text() {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line, including a last one not yet ended by a newline. */
    List<String> lines() {
        String text = text();
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = Arrays.asList(text.split("\n", -1));
        return text.endsWith("\n") ? lines.subList(0, lines.size() - 1) : lines;
    }

    /** Lines ended by a newline: a half-written "count 1" must not match what will be "count 12". */
    List<String> completeLines() {
        String text = text();
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        return Arrays.asList(text.substring(0, end).split("\n", -1));
    }

    List<String> tail(int count) {
        List<String> lines = lines();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
