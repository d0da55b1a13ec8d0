package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.api.json.Json;
import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.Coordinator;
import io.stasis.tests.support.ExamplePlugin;
import io.stasis.tests.support.Sandbox;
import io.stasis.tests.support.StasisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis plugins} against the assembled distribution: the built-in plugins the tests assume
 * ({@link PluginSet}), and the same answer when the command line runs on the module path, where built-in
 * plugins are found through the module descriptors and a third-party one still through PF4J.
 */
class StasisPluginsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theBuiltInPluginsAreThoseTheTestsIsolate() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            List<Map<String, Object>> plugins = plugins(sandbox.runStasis("plugins", "--json").requireSuccess());
            Map<String, Object> requires = new LinkedHashMap<>();
            plugins.stream().filter(p -> "built-in".equals(p.get("origin")))
                    .forEach(p -> requires.put((String) p.get("id"), p.get("requires")));
            assertThat(requires.keySet()).containsExactlyInAnyOrderElementsOf(PluginSet.BUILT_IN);
            assertThat(requires).isEqualTo(Map.copyOf(PluginSet.REQUIRES));
            assertThat(plugins).filteredOn(p -> p.get("fragment") != null)
                    .allMatch(p -> Boolean.TRUE.equals(p.get("fragmentInstalled")));
        }
    }

    /** A plugin without a fragment restores nothing: it is not "enabled", and no image records it. */
    @Test
    void pluginsWithoutAFragmentAreNotEnabled() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            List<Map<String, Object>> plugins = plugins(sandbox.runStasis("plugins", "--json").requireSuccess());
            assertThat(plugins).filteredOn(p -> PluginSet.NO_FRAGMENT.contains(p.get("id")))
                    .extracting(p -> p.get("id") + " " + p.get("enabled") + " (" + p.get("why") + ")")
                    .containsExactlyInAnyOrder("sockets false (no fragment: restores nothing yet)",
                            "ipc false (no fragment: restores nothing yet)",
                            "pty false (no fragment: restores nothing yet)");
            assertThat(sandbox.runStasis("plugins").requireSuccess().output())
                    .contains("sockets  " + plugins.get(0).get("version") + "  disabled (no fragment: restores nothing "
                            + "yet)");
        }
    }

    /**
     * A TCP connection, a SysV shared memory segment, a pty pair, a pidfd and a forkpty() child: the checkpoint
     * succeeds and says, one line each, that they will not come back; the restart then goes on counting.
     */
    @Test
    void checkpointNamesEveryResourceNothingRestores() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Coordinator coordinator = Coordinator.embedded(sandbox);
            StasisProcess launched = coordinator.launch(Programs.HOME.program("unrestored").toString(), "100", "100");
            launched.waitForOutput("^3$", WAIT);
            CommandResult checkpoint = coordinator.checkpoint().requireSuccess();
            String who = "warning: pid " + launched.pid() + " (unrestored): ";
            assertThat(checkpoint.stderr()).as(checkpoint.toString()).allMatch(l -> l.startsWith(who)
                    && l.endsWith(" will not be restored"));
            assertThat(String.join("\n", checkpoint.stderr()))
                    .containsPattern("fd \\d+ socket:\\[TCP 127\\.0\\.0\\.1:\\d+ listening\\]")
                    .containsPattern("fd \\d+ socket:\\[TCP 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:\\d+\\]")
                    .containsPattern("fd \\d+ /dev/ptmx \\(pty\\)")
                    .containsPattern("fd \\d+ /dev/pts/\\d+ \\(pty\\)")
                    .containsPattern("SysV shared memory shmid \\d+")
                    .containsPattern("fd \\d+ anon_inode:\\[pidfd\\] \\(/dev/null after a restart\\)")
                    .containsPattern("child pid \\d+ \\(unrestored\\), not under Stasis,");
            assertThat(checkpoint.stdout()).hasSize(1).allMatch(l -> l.startsWith("checkpoint 1: 1 process"));

            CommandResult blocking = coordinator.stasis("command", "--bc").requireSuccess();
            assertThat(blocking.stderr()).as("the same from stasis command --bc")
                    .containsExactlyElementsOf(checkpoint.stderr());

            launched.kill9Tree();
            StasisProcess restarted = coordinator.restart(coordinator.images().toArray(Path[]::new));
            launched.waitForOutput("^done$", WAIT);
            assertThat(restarted.waitFor(WAIT)).as(restarted.describe()).isZero();
            List<String> expected = new ArrayList<>(List.of("ready"));
            IntStream.rangeClosed(1, 100).forEach(i -> expected.add(String.valueOf(i)));
            expected.add("done");
            assertThat(launched.lines()).as("counted on from the checkpoint").isEqualTo(expected);
        }
    }

    @Test
    void onTheModulePathTheSamePluginsAreFound() {
        try (Sandbox sandbox = Sandbox.create(Programs.HOME)) {
            Path pluginsDir = ExamplePlugin.pluginsDir(sandbox, "plugins");
            Path home = Programs.HOME.home();
            CommandResult moduleMode = sandbox.command(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-Dstasis.home=" + home, "-p", home.resolve("lib").toString(),
                    "-m", "io.stasis.cli/io.stasis.cli.Main", "plugins", "--json", "--plugins-dir",
                    pluginsDir.toString()).name("module-path").run().requireSuccess();
            CommandResult classPath = sandbox.runStasis("plugins", "--json", "--plugins-dir", pluginsDir.toString())
                    .requireSuccess();
            assertThat(plugins(moduleMode)).extracting(p -> p.get("id") + " " + p.get("enabled"))
                    .containsExactly("counter true", "files true", "ipc false", "pid-virt true", "pty false", "sockets false");
            assertThat(moduleMode.output()).isEqualTo(classPath.output());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> plugins(CommandResult result) {
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(result.output())).get("plugins");
    }
}
