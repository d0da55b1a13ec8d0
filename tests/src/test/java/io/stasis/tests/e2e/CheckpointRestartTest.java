package io.stasis.tests.e2e;

import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisHome;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every program with a .desc file, the core's (tests/programs) and each plugin's
 * (plugins/<id>/tests/programs), goes through checkpoint, kill -9 and restart, once with all
 * plugins and once with only the core (and what it requires).
 * {@code -Dstasis.program=NAME} runs one program only.
 */
class CheckpointRestartTest {

    private static final StasisHome HOME = StasisHome.fromSystemProperties().requireAssembled();

    @TestFactory
    @Execution(ExecutionMode.CONCURRENT) // each life cycle has its own sandbox, coordinator and port
    Stream<DynamicTest> everyProgramContinuesAfterRestart() {
        String only = System.getProperty("stasis.program", "");
        return Programs.all().stream()
                .filter(program -> only.isEmpty() || only.equals(program.name())).flatMap(program -> Stream
                .of(PluginSet.all(), PluginSet.coreWith(program.requires()))
                .map(plugins -> DynamicTest.dynamicTest(program.name() + " (" + plugins.name() + ")", () -> {
                    try (Sandbox sandbox = Sandbox.create(HOME)) {
                        new Lifecycle(sandbox, program, plugins).run();
                    }
                })));
    }

    @TestFactory
    Stream<DynamicTest> theDescriptionsCoverTheIssueProgramList() {
        List<String> names = Programs.all().stream()
                .map(ProgramDescription::name).toList();
        return Stream.of("counter", "threads4", "bigmem", "sleeper", "counter-py", "counter-sh").map(name ->
                DynamicTest.dynamicTest(name, () -> org.assertj.core.api.Assertions.assertThat(names).contains(name)));
    }
}
