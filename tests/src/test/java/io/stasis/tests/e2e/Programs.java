package io.stasis.tests.e2e;

import io.stasis.tests.support.StasisHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The test programs' descriptions: all of them, or one by name for tests that need one in particular. */
final class Programs {

    static final StasisHome HOME = StasisHome.fromSystemProperties().requireAssembled();

    private Programs() {
    }

    static ProgramDescription named(String name) {
        for (ProgramSet set : ProgramSet.all(HOME)) {
            Path file = set.descriptions().resolve(name + ".desc");
            if (Files.isRegularFile(file)) {
                return ProgramDescription.load(set, file);
            }
        }
        throw new IllegalArgumentException("no " + name + ".desc in tests/programs or any plugins/*/tests/programs");
    }

    /** Every described program: the core's, then each plugin's. */
    static List<ProgramDescription> all() {
        return ProgramSet.all(HOME).stream().flatMap(set -> ProgramDescription.all(set).stream()).toList();
    }
}
