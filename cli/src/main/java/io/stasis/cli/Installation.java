package io.stasis.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The installed layout of docs/environment.md, rooted at {@code STASIS_HOME}, which {@code bin/stasis}
 * passes as the system property {@code stasis.home}.
 */
public record Installation(Path home) {

    public static final String HOME_PROPERTY = "stasis.home";

    public Installation {
        home = home.toAbsolutePath().normalize();
    }

    /** The installation named by {@code stasis.home}, if set. */
    public static Optional<Installation> fromProperty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new Installation(Path.of(value)));
    }

    public Path binDir() {
        return home.resolve("bin");
    }

    public Path launcher() {
        return binDir().resolve("stasis");
    }

    public Path libDir() {
        return home.resolve("lib");
    }

    public Path nativeLibDir() {
        return libDir().resolve("native");
    }

    /** {@code lib/native/libstasis.so}, preloaded into every process. */
    public Path runtimeLibrary() {
        return nativeLibDir().resolve("libstasis.so");
    }

    /** A plugin's native fragment in {@code lib/native}. */
    public Path fragment(String fileName) {
        return nativeLibDir().resolve(fileName);
    }

    public Path libexecDir() {
        return home.resolve("libexec");
    }

    /** {@code libexec/stasis-restart}, the native restarter. */
    public Path restarter() {
        return libexecDir().resolve("stasis-restart");
    }

    public Path includeDir() {
        return home.resolve("include");
    }
}
