package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.image.Image;
import io.stasis.image.ImageReader;
import io.stasis.image.PluginSection;
import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.ExamplePlugin;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example third-party plugin (examples/counter-plugin), built on its own and dropped into a plugins
 * directory as a zip: it runs in the program at checkpoint and at restart, its section is in the image and
 * decoded by {@code stasis inspect}, an image that needs it is refused where it is missing, and switching
 * it off keeps it out of the program.
 */
class ThirdPartyPluginTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GREETING = "hello from the test";
    private final ProgramDescription counter = Programs.named("counter");

    @BeforeAll
    static void buildTheExample() {
        ExamplePlugin.zip(Programs.HOME); // a nested make + mvn build, once: see ExamplePlugin
    }

    @Test
    void runsAtCheckpointAndRestartAndItsSectionIsDecoded() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path plugins = ExamplePlugin.pluginsDir(sandbox, "plugins");
            // the setting from the command line wins over the variable, and reaches the fragment only
            // through the plugin's Java side
            Coordinator coordinator = Coordinator.embedded(sandbox)
                    .withEnvironment("STASIS_PLUGINS_DIR", plugins.toString())
                    .withEnvironment("STASIS_COUNTER_GREETING", "from the environment");
            PluginSet all = PluginSet.all().withFlags("--set", "counter.greeting=" + GREETING);
            StasisProcess launched = new Lifecycle(sandbox, counter, all, coordinator).launch();
            launched.waitForOutput(counter.ready().pattern(), counter.timeout());
            launched.waitForErrorOutput("^" + GREETING + ": loaded, checkpoints 0$", WAIT);
            coordinator.checkpoint().requireSuccess();
            launched.waitForErrorOutput("^" + GREETING + ": checkpoint written, checkpoints 1$", WAIT);
            launched.waitForErrorOutput("^" + GREETING + ": the coordinator knows checkpoints 1$", WAIT);
            Path image = coordinator.images().get(0);
            launched.kill9Tree();

            Image recorded = ImageReader.open(image);
            assertThat(recorded.process().plugins()).contains("counter").containsAll(PluginSet.ENABLED_BY_DEFAULT);
            List<String> sections = recorded.pluginSections().stream().map(PluginSection::pluginId).toList();
            assertThat(sections).contains("counter", "pid-virt");
            // plugins run in the launcher's order (STASIS_PLUGINS), whatever order their constructors ran in
            assertThat(sections).containsExactlyElementsOf(
                    recorded.process().plugins().stream().filter(sections::contains).toList());
            CommandResult inspect = coordinator.stasis("inspect", image.toString()).requireSuccess();
            assertThat(inspect.output()).contains("\n  counter\n    checkpoints 1\n    restarts before it 0");

            Path none = ExamplePlugin.emptyPluginsDir(sandbox, "no-plugins");
            CommandResult refused = coordinator.stasis("restart", "--plugins-dir", none.toString(), image.toString());
            refused.requireExitCode(5);
            assertThat(refused.errorOutput()).isEqualTo("stasis: cannot restart " + image
                    + ": it needs plugin 'counter', which is not installed here");

            StasisProcess restarted = coordinator.restart(image);
            launched.waitForErrorOutput("^" + GREETING + ": restored from its section after checkpoint 1, restart 1$",
                    WAIT);
            launched.waitForErrorOutput("^" + GREETING + ": the coordinator knows restarts 1$", WAIT);
            launched.waitForOutput(counter.finished().pattern(), counter.timeout());
            launched.waitForErrorOutput("^" + GREETING + ": exiting, checkpoints 1, restarts 1$", WAIT);
            assertThat(restarted.waitFor(WAIT)).as(restarted.describe()).isZero();
            OutputCheck.verify(counter, launched.lines(), "counter with the example plugin\n" + restarted.describe());
        }
    }

    @Test
    void disabledByFlagItNeverRuns() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path plugins = ExamplePlugin.pluginsDir(sandbox, "plugins");
            PluginSet withoutCounter = PluginSet.all().withFlags("--plugins-dir", plugins.toString(),
                    "--disable", "counter");
            assertNeverRan(new Lifecycle(sandbox, counter, withoutCounter).checkpointAndKill());
        }
    }

    @Test
    void disabledByTheEnvironmentItNeverRuns() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path plugins = ExamplePlugin.pluginsDir(sandbox, "plugins");
            Coordinator coordinator = Coordinator.embedded(sandbox)
                    .withEnvironment("STASIS_PLUGINS_DIR", plugins.toString())
                    .withEnvironment("STASIS_DISABLE", "counter");
            assertNeverRan(new Lifecycle(sandbox, counter, PluginSet.all(), coordinator).checkpointAndKill());
        }
    }

    @Test
    void aloneWithTheCoreItIsTheOnlyPluginInTheImage() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path plugins = ExamplePlugin.pluginsDir(sandbox, "plugins");
            Lifecycle.Checkpointed run = new Lifecycle(sandbox, counter,
                    PluginSet.only("counter").withFlags("--plugins-dir", plugins.toString())).checkpointAndKill();
            assertThat(ImageReader.open(run.image()).process().plugins()).containsExactly("counter");
            assertThat(run.launched().errorLines()).contains("counter: loaded, checkpoints 0");
        }
    }

    @Test
    void aBrokenPluginStopsTheLaunchBeforeTheProgramRuns() throws IOException {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path plugins = ExamplePlugin.pluginsDir(sandbox, "plugins");
            Path zip = plugins.resolve(ExamplePlugin.zip(Programs.HOME).getFileName());
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of())) {
                Files.delete(fs.getPath("native/libstasis_counter.so"));
            }
            Coordinator coordinator = Coordinator.embedded(sandbox)
                    .withEnvironment("STASIS_PLUGINS_DIR", plugins.toString());
            CommandResult launch = coordinator.stasis("launch", "sh", "-c", "echo ran");
            launch.requireExitCode(1);
            assertThat(launch.errorOutput()).isEqualTo("stasis: plugin 'counter' (" + zip + ") is broken: its "
                    + "fragment native/libstasis_counter.so is not in the plugin (--disable counter runs without it)");
            assertThat(launch.output()).isEmpty();
            CommandResult listed = coordinator.stasis("plugins");
            listed.requireExitCode(1);
            assertThat(listed.output()).contains("broken plugin 'counter'");
        }
    }

    private static void assertNeverRan(Lifecycle.Checkpointed run) {
        Image image = ImageReader.open(run.image());
        assertThat(image.process().plugins()).doesNotContain("counter").containsAll(PluginSet.ENABLED_BY_DEFAULT);
        assertThat(image.pluginSections()).extracting(PluginSection::pluginId).doesNotContain("counter");
        assertThat(run.launched().errorLines()).noneMatch(l -> l.contains("loaded, checkpoints"));
    }
}
