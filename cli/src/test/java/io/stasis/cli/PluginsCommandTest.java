package io.stasis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.api.json.Json;
import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.CoordinatorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis plugins} and the plugin options of {@code stasis launch}, up to the exec. */
class PluginsCommandTest {

    @TempDir
    Path tmp;

    private TestCli cli;
    private Installation installation;
    private CoordinatorServer coordinator;

    @BeforeEach
    void setUp() throws Exception {
        cli = new TestCli(tmp);
        installation = TestCli.fakeInstallation(tmp.resolve("home"), true);
        cli.installation = Optional.of(installation);
        coordinator = CoordinatorServer.start(CoordinatorOptions.builder().port(0).build(), cli.env);
        cli.env.put("STASIS_COORD_PORT", String.valueOf(coordinator.port()));
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
    }

    @Test
    void listsEveryBuiltInPluginWithItsFragmentAndState() {
        assertThat(cli.run("plugins")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("pid-virt  0.1.0-SNAPSHOT  enabled (default)  built-in\n"
                        + "    virtualizes process and thread ids")
                .contains("    fragment    " + installation.fragment("libstasis_pidvirt.so") + "\n")
                .contains("sockets  0.1.0-SNAPSHOT  disabled (no fragment: restores nothing yet)  built-in\n")
                .contains("    fragment    none yet\n");

        cli.env.put("STASIS_DISABLE", "pty");
        assertThat(cli.run("plugins", "--only", "pid-virt", "--enable", "ipc", "--json")).isZero();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plugins = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(cli.out()))
                .get("plugins");
        assertThat(plugins).extracting(p -> p.get("id") + "=" + p.get("enabled") + " (" + p.get("why") + ")")
                .containsExactly("files=false (--only)", "ipc=false (no fragment: restores nothing yet)",
                        "pid-virt=true (--only)", "pty=false (no fragment: restores nothing yet)",
                        "sockets=false (no fragment: restores nothing yet)");
    }

    @Test
    void launchHonoursDisableFromTheEnvironmentAndOnly() {
        cli.env.put("STASIS_DISABLE", "files,pid-virt");
        assertThat(cli.run("launch", "true")).as(cli.err()).isZero();
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "")
                .containsEntry("LD_PRELOAD", installation.runtimeLibrary().toString());
        assertThat(cli.run("launch", "--enable", "pid-virt", "true")).isZero();
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "pid-virt");
        assertThat(cli.run("launch", "--only=", "true")).isZero();
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "");
    }

    @Test
    void configFileSwitchesPluginsOffAndTheCommandLineBackOn() throws Exception {
        Path config = Files.writeString(tmp.resolve("stasis.properties"), "plugins.pid-virt.enabled=false\n");
        assertThat(cli.run("launch", "--config", config.toString(), "true")).isZero();
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "files");
        assertThat(cli.run("launch", "--config", config.toString(), "--enable", "pid-virt", "true")).isZero();
        assertThat(cli.lastExec().env()).containsEntry("STASIS_PLUGINS", "files,pid-virt");
    }

    @Test
    void aBrokenPluginIsListedAndStopsTheLaunchUntilDisabled() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plugins.resolve("counter.zip")))) {
            zip.putNextEntry(new ZipEntry("plugin.properties"));
            zip.write("plugin.id=counter\nplugin.version=1.0.0\nplugin.native=libstasis_counter.so\n".getBytes());
        }
        assertThat(cli.run("plugins", "--plugins-dir", plugins.toString())).isEqualTo(1);
        String problem = "plugin 'counter' (" + plugins.resolve("counter.zip") + ") is broken: it has no @Extension "
                + "implementing io.stasis.api.plugin.ResourcePlugin (a plugin must not bundle its own copy of "
                + "stasis-core-api)";
        assertThat(cli.out()).contains("broken plugin 'counter'");
        assertThat(cli.err()).isEqualTo("stasis: " + problem + "\n");

        cli.env.put("STASIS_PLUGINS_DIR", plugins.toString());
        assertThat(cli.run("launch", "true")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("stasis: " + problem + " (--disable counter runs without it)\n");
        assertThat(cli.run("launch", "--disable", "counter", "true")).as(cli.err()).isZero();
    }

    @Test
    void unknownSettingsAreUsageErrors() {
        assertThat(cli.run("launch", "--set", "counter.greeting=hi", "true")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("stasis: unknown plugin setting 'counter.greeting' (plugin settings: "
                + "files.restore-files, files.save-max-size, files.save-open-files)\n");
    }
}
