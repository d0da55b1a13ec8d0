package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.api.json.Json;
import io.stasis.tests.support.CommandResult;
import io.stasis.tests.support.ExamplePlugin;
import io.stasis.tests.support.Sandbox;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code stasis plugins} against the assembled distribution: the built-in plugins the tests assume
 * ({@link PluginSet}), and the same answer when the command line runs on the module path, where built-in
 * plugins are found through the module descriptors and a third-party one still through PF4J.
 */
class StasisPluginsTest {

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
                    .containsExactly("counter true", "files true", "ipc true", "pid-virt true", "pty true", "sockets true");
            assertThat(moduleMode.output()).isEqualTo(classPath.output());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> plugins(CommandResult result) {
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(result.output())).get("plugins");
    }
}
