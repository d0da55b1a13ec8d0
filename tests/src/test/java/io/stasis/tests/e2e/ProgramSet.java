package io.stasis.tests.e2e;

import io.stasis.tests.support.StasisHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One folder of test programs and where they are built: the core's ({@code tests/programs}, built by
 * {@code native/}) and each plugin's ({@code plugins/<id>/tests/programs}, built into its
 * {@code target/test-programs} by the plugin's own Makefile).
 */
record ProgramSet(String owner, Path descriptions, Path binaries) {

    /** The core's set first, then every plugin's that has test programs, by id. */
    static List<ProgramSet> all(StasisHome home) {
        List<ProgramSet> sets = new ArrayList<>(List.of(new ProgramSet("core", home.repo().resolve("tests/programs"),
                home.programs())));
        try (Stream<Path> plugins = Files.list(home.repo().resolve("plugins"))) {
            plugins.filter(p -> Files.isDirectory(p.resolve("tests/programs"))).sorted()
                    .map(p -> new ProgramSet(p.getFileName().toString(), p.resolve("tests/programs"),
                            p.resolve("target/test-programs")))
                    .forEach(sets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }
}
