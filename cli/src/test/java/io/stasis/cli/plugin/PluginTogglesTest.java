package io.stasis.cli.plugin;

import static io.stasis.cli.plugin.Plugins.catalog;
import static io.stasis.cli.plugin.Plugins.disable;
import static io.stasis.cli.plugin.Plugins.enable;
import static io.stasis.cli.plugin.Plugins.mocked;
import static io.stasis.cli.plugin.Plugins.only;
import static io.stasis.cli.plugin.Plugins.toggles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.cli.CliException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Config precedence for plugins: command line, then environment, then config file, then the plugin's default. */
class PluginTogglesTest {

    private final PluginCatalog catalog = catalog(mocked("pid-virt", true), mocked("pty", false));
    private final Map<String, String> file = Map.of("plugins.pid-virt.enabled", "false", "plugins.pty.enabled", "yes");

    @Test
    void eachLevelWinsOverTheOnesBelow() {
        assertThat(toggles(catalog, ToggleRequest.none()).of("pid-virt", true))
                .isEqualTo(new Toggle(true, false, "default"));
        assertThat(toggles(catalog, ToggleRequest.none(), Map.of(), file).of("pid-virt", true))
                .isEqualTo(new Toggle(false, true, "config file"));
        assertThat(toggles(catalog, ToggleRequest.none(), Map.of(), file).of("pty", false))
                .isEqualTo(new Toggle(true, true, "config file"));
        Map<String, String> env = Map.of("STASIS_PLUGINS_PID_VIRT_ENABLED", "1");
        assertThat(toggles(catalog, ToggleRequest.none(), env, file).of("pid-virt", true))
                .isEqualTo(new Toggle(true, true, "STASIS_PLUGINS_PID_VIRT_ENABLED"));
        Map<String, String> lists = Map.of("STASIS_PLUGINS_PID_VIRT_ENABLED", "1", "STASIS_DISABLE", "pid-virt,pty");
        assertThat(toggles(catalog, ToggleRequest.none(), lists, file).of("pid-virt", true))
                .isEqualTo(new Toggle(false, true, "STASIS_DISABLE"));
        assertThat(toggles(catalog, enable("pid-virt"), lists, file).of("pid-virt", true))
                .isEqualTo(new Toggle(true, true, "--enable"));
        assertThat(toggles(catalog, ToggleRequest.none(), Map.of("STASIS_ENABLE", " PTY "), file).of("pty", false))
                .isEqualTo(new Toggle(true, true, "STASIS_ENABLE"));
    }

    @Test
    void onlyTurnsTheRestOffWithoutForbiddingThem() {
        PluginToggles t = toggles(catalog, only("pty"), Map.of("STASIS_ENABLE", "pid-virt"), Map.of());
        assertThat(t.of("pty", false)).isEqualTo(new Toggle(true, true, "--only"));
        assertThat(t.of("pid-virt", true)).as("not explicit: a listed plugin may still require it")
                .isEqualTo(new Toggle(false, false, "--only"));
        assertThat(t.onlyListed()).isTrue();
    }

    @Test
    void unknownIdsConflictsAndBadValuesAreUsageErrors() {
        assertThatThrownBy(() -> toggles(catalog, disable("nope")))
                .hasMessage("unknown plugin 'nope' (known: pid-virt, pty)")
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> toggles(catalog, ToggleRequest.none(), Map.of("STASIS_DISABLE", "pid_virt"), Map.of()))
                .hasMessage("unknown plugin 'pid_virt' (known: pid-virt, pty)");
        assertThatThrownBy(() -> toggles(catalog, new ToggleRequest(List.of("pty"), List.of("pty"), Optional.empty())))
                .hasMessage("plugin 'pty' is both in --enable and in --disable");
        assertThatThrownBy(() -> toggles(catalog, ToggleRequest.none(),
                Map.of("STASIS_ENABLE", "pty", "STASIS_DISABLE", "pty"), Map.of()))
                .hasMessage("plugin 'pty' is both in STASIS_ENABLE and in STASIS_DISABLE");
        assertThatThrownBy(() -> toggles(catalog, ToggleRequest.none(), Map.of(), Map.of("plugins.pty.enabled", "maybe"))
                .of("pty", false))
                .hasMessage("plugins.pty.enabled: \"maybe\" from config file is not true or false")
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(2));
    }

    @Test
    void pluginSettingsFollowTheSamePrecedenceIntoTheFragmentsEnvironment() {
        ResourcePlugin counter = mocked("counter", true);
        org.mockito.Mockito.doReturn(List.of(new ConfigKey("counter.greeting", "hello", "greeting"),
                new ConfigKey("counter.step", null, "step"))).when(counter).configKeys();
        List<InstalledPlugin> enabled = List.of(Plugins.installed(counter));

        assertThat(FragmentEnvironment.of(enabled, StasisConfig.of(Map.of(), Map.of(), Map.of())))
                .as("a key without a value is not passed").containsExactly(Map.entry("STASIS_COUNTER_GREETING", "hello"));
        Map<String, String> fileValues = Map.of("counter.greeting", "from file", "counter.step", "2");
        assertThat(FragmentEnvironment.of(enabled, StasisConfig.of(Map.of(), Map.of(), fileValues)))
                .containsEntry("STASIS_COUNTER_GREETING", "from file").containsEntry("STASIS_COUNTER_STEP", "2");
        Map<String, String> env = Map.of("STASIS_COUNTER_GREETING", "from env");
        assertThat(FragmentEnvironment.of(enabled, StasisConfig.of(Map.of(), env, fileValues)))
                .containsEntry("STASIS_COUNTER_GREETING", "from env");
        assertThat(FragmentEnvironment.of(enabled, StasisConfig.of(Map.of("counter.greeting", "from --set"), env,
                fileValues))).containsEntry("STASIS_COUNTER_GREETING", "from --set");
        assertThat(FragmentEnvironment.prefix("pid-virt")).isEqualTo("STASIS_PID_VIRT_");
    }
}
