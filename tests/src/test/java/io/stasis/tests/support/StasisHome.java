package io.stasis.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the pieces under test are: the assembled distribution, the compiled test programs
 * and the source tree. Maven passes them as system properties (see tests/pom.xml); run from
 * an IDE in {@code tests/}, the same relative defaults apply.
 */
public record StasisHome(Path home, Path programs, Path repo) {

    public static StasisHome fromSystemProperties() {
        Path repo = Path.of(System.getProperty("stasis.repo", "..")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("stasis.home", repo.resolve("dist/target/stasis").toString()));
        Path programs = Path.of(System.getProperty("stasis.programs",
                repo.resolve("native/target/test-programs").toString()));
        return new StasisHome(home.toAbsolutePath().normalize(), programs.toAbsolutePath().normalize(), repo);
    }

    /** {@code bin/stasis}, the command line as users run it. */
    public Path stasis() {
        return home.resolve("bin/stasis");
    }

    public Path libexec() {
        return home.resolve("libexec");
    }

    public Path restarter() {
        return libexec().resolve("stasis-restart");
    }

    public Path nativeLibraries() {
        return home.resolve("lib/native");
    }

    /** {@code lib/native/<name>}, e.g. {@code libstasis.so}. */
    public Path nativeLibrary(String name) {
        return nativeLibraries().resolve(name);
    }

    /** A test program built from {@code tests/programs/<name>.c}. */
    public Path program(String name) {
        return programs.resolve(name);
    }

    public Path goldenImages() {
        return repo.resolve("tests/golden");
    }

    public boolean isAssembled() {
        return Files.isExecutable(stasis());
    }

    /** Whether make has built the runtime, so checkpointing can work at all. */
    public boolean hasNativeRuntime() {
        return Files.isRegularFile(nativeLibrary("libstasis.so")) && Files.isExecutable(restarter());
    }

    /** @throws IllegalStateException with the command that fixes it */
    public StasisHome requireAssembled() {
        if (!isAssembled()) {
            throw new IllegalStateException("no distribution at " + home + "; run: mvn -B -DskipTests package");
        }
        return this;
    }
}
