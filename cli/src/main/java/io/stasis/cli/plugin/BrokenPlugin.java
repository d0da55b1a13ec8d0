package io.stasis.cli.plugin;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Something in the plugins directory that cannot be used: a bad descriptor, a missing fragment, code that
 * fails to load, an id already taken. Kept so every command can name it instead of running without it.
 *
 * @param id      the plugin's id when its descriptor could be read, so {@code --disable ID} can silence it
 * @param source  the file or directory in the plugins directory
 * @param problem one line, without the plugin's name
 */
public record BrokenPlugin(Optional<String> id, Path source, String problem) {

    public BrokenPlugin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(problem, "problem");
    }

    /** "plugin 'counter' (/x/counter.zip)" or "plugin file /x/junk.zip". */
    public String label() {
        return id.map(i -> "plugin '" + i + "' (" + source + ")").orElse("plugin file " + source);
    }

    /** The one line every command prints about it. */
    public String message() {
        return label() + " is broken: " + problem;
    }
}
