package io.stasis.tests.e2e;

import io.stasis.tests.support.StasisHome;
import java.nio.file.Path;

/** The test programs' descriptions, by name, for tests that need one in particular. */
final class Programs {

    static final StasisHome HOME = StasisHome.fromSystemProperties().requireAssembled();

    private Programs() {
    }

    static ProgramDescription named(String name) {
        return ProgramDescription.load(descriptions().resolve(name + ".desc"));
    }

    static Path descriptions() {
        return HOME.repo().resolve("tests/programs");
    }
}
