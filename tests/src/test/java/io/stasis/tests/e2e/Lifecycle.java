package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.image.ImageReader;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The life cycle every test program goes through (zdtm's): launch under Stasis, wait
 * until it is ready, take a blocking checkpoint, kill -9, restart from the image, let it
 * finish, and check that its output continued exactly where it was.
 *
 * The restored program keeps writing to the descriptor it had: the launched process's
 * output file, at the offset it had at checkpoint time. So the file ends up holding the
 * output of one uninterrupted run, or the test fails.
 */
final class Lifecycle {

    private final Sandbox sandbox;
    private final ProgramDescription program;
    private final PluginSet plugins;
    private final Coordinator coordinator;

    Lifecycle(Sandbox sandbox, ProgramDescription program, PluginSet plugins) {
        this(sandbox, program, plugins, Coordinator.embedded(sandbox));
    }

    Lifecycle(Sandbox sandbox, ProgramDescription program, PluginSet plugins, Coordinator coordinator) {
        this.sandbox = sandbox;
        this.program = program;
        this.plugins = plugins;
        this.coordinator = coordinator;
    }

    /** The launched program, killed after its checkpoint, and the images it left (one per process). */
    record Checkpointed(StasisProcess launched, List<Path> images) {

        Path image() {
            return images.get(0);
        }
    }

    Coordinator coordinator() {
        return coordinator;
    }

    StasisProcess launch() {
        List<String> args = new ArrayList<>(List.of("launch"));
        args.addAll(plugins.launchFlags());
        args.addAll(program.command(sandbox.stasisHome().programs(), sandbox.work()));
        return coordinator.command(args.toArray(String[]::new)).name(program.name()).start();
    }

    /**
     * Launch, wait until ready, take one blocking checkpoint, kill -9. The checkpoint is asked for from this JVM,
     * so that it lands right after the ready line (see {@link Coordinator#checkpointNow}).
     */
    Checkpointed checkpointAndKill() {
        StasisProcess launched = launch();
        launched.waitForOutput(program.ready().pattern(), program.timeout());
        coordinator.checkpointNow(launched);
        List<Path> images = coordinator.images();
        if (program.processes() > 0) {
            assertThat(images).as("one image per process").hasSize(program.processes());
        } else {
            assertThat(images).as("an image per process").isNotEmpty();
        }
        images.forEach(image -> plugins.verify(ImageReader.open(image).process().plugins()));
        launched.kill9Tree();
        return new Checkpointed(launched, images);
    }

    /** Launch, checkpoint once ready, kill -9, restart, wait for the end, check the output. */
    void run() {
        Checkpointed checkpointed = checkpointAndKill();
        StasisProcess launched = checkpointed.launched();
        StasisProcess restarted = coordinator.restart(checkpointed.images().toArray(Path[]::new));
        List<String> lines;
        try {
            lines = launched.waitForOutput(
                    l -> l.stream().anyMatch(line -> program.finished().matcher(line).find()), program.timeout());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + restarted.describe(), e);
        }
        assertThat(restarted.waitFor(Duration.ofSeconds(30))).as("exit code of the restarted program\n"
                + restarted.describe()).isZero();
        OutputCheck.verify(program, launched.lines(), program.name() + " with " + plugins.name() + "\n"
                + restarted.describe());
        assertThat(lines).isNotEmpty();
    }
}
