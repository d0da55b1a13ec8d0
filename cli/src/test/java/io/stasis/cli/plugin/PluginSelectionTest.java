package io.stasis.cli.plugin;

import static io.stasis.cli.plugin.Plugins.catalog;
import static io.stasis.cli.plugin.Plugins.config;
import static io.stasis.cli.plugin.Plugins.disable;
import static io.stasis.cli.plugin.Plugins.enable;
import static io.stasis.cli.plugin.Plugins.mocked;
import static io.stasis.cli.plugin.Plugins.only;
import static io.stasis.cli.plugin.Plugins.toggles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.cli.CliException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plugin manager's decisions: load order, what requirements switch on, and every way a launch is refused. */
class PluginSelectionTest {

    private final ResourcePlugin pidVirt = mocked("pid-virt", true);
    private final ResourcePlugin sockets = mocked("sockets", true, "pid-virt");
    private final ResourcePlugin zeta = mocked("zeta", false);
    private final ResourcePlugin alpha = mocked("alpha", false, "sockets");
    private final PluginCatalog all = catalog(sockets, pidVirt, zeta, alpha);

    private static String select(PluginCatalog catalog, ToggleRequest request) {
        return PluginSelection.resolve(catalog, toggles(catalog, request), config(Map.of(), Map.of())).ids();
    }

    private static int exitCode(Throwable e) {
        return ((CliException) e).exitCode();
    }

    @Test
    void everyPluginLoadsAfterWhatItRequiresOtherwiseById() {
        assertThat(select(all, ToggleRequest.none())).isEqualTo("pid-virt,sockets");
        assertThat(select(all, enable("alpha", "zeta"))).isEqualTo("pid-virt,sockets,alpha,zeta");
        assertThat(select(all, disable("sockets"))).isEqualTo("pid-virt");
    }

    @Test
    void aPluginWithoutAFragmentRestoresNothingAndIsNeverEnabled() {
        ResourcePlugin ipc = mocked("ipc", true);
        doReturn(Optional.empty()).when(ipc).fragment();
        ResourcePlugin user = mocked("user", true, "ipc");
        PluginCatalog catalog = catalog(ipc, pidVirt, user);
        assertThat(select(catalog, ToggleRequest.none())).isEqualTo("pid-virt,user");
        assertThat(select(catalog, enable("ipc"))).isEqualTo("pid-virt,user");
        assertThat(select(catalog, only("ipc"))).isEmpty();
    }

    @Test
    void aPluginOffByDefaultIsSwitchedOnWhenAnEnabledOneRequiresIt() {
        ResourcePlugin base = mocked("base", false);
        ResourcePlugin top = mocked("top", true, "base");
        assertThat(select(catalog(base, top), ToggleRequest.none())).isEqualTo("base,top");
    }

    @Test
    void onlyKeepsTheListedPluginsAndWhatTheyRequire() {
        assertThat(select(all, only("alpha"))).isEqualTo("pid-virt,sockets,alpha");
        assertThat(select(all, only("pid-virt"))).isEqualTo("pid-virt");
        assertThat(select(all, only())).as("--only= is the core alone").isEmpty();
    }

    @Test
    void requiringAnExplicitlyDisabledPluginIsAUsageError() {
        assertThatThrownBy(() -> select(all, disable("pid-virt")))
                .hasMessage("plugin 'sockets' requires 'pid-virt', which is disabled (by --disable)")
                .satisfies(e -> assertThat(exitCode(e)).isEqualTo(2));
        PluginCatalog catalog = all;
        assertThatThrownBy(() -> PluginSelection.resolve(catalog, toggles(catalog, ToggleRequest.none(),
                Map.of("STASIS_DISABLE", "pid-virt"), Map.of()), config(Map.of(), Map.of())))
                .hasMessage("plugin 'sockets' requires 'pid-virt', which is disabled (by STASIS_DISABLE)");
        assertThatThrownBy(() -> PluginSelection.resolve(catalog, toggles(catalog, ToggleRequest.none(), Map.of(),
                Map.of("plugins.pid-virt.enabled", "off")), config(Map.of(), Map.of("plugins.pid-virt.enabled", "off"))))
                .hasMessage("plugin 'sockets' requires 'pid-virt', which is disabled (by config file)");
    }

    @Test
    void requiringAMissingOrBrokenPluginNamesBoth() {
        ResourcePlugin lonely = mocked("lonely", true, "absent");
        assertThatThrownBy(() -> select(catalog(lonely), ToggleRequest.none()))
                .hasMessage("plugin 'lonely' requires 'absent', which is not installed")
                .satisfies(e -> assertThat(exitCode(e)).isEqualTo(1));

        PluginCatalog withBroken = new PluginCatalog(List.of(Plugins.installed(lonely)), List.of(
                new BrokenPlugin(Optional.of("absent"), Path.of("/p/absent.zip"), "bad descriptor")));
        assertThatThrownBy(() -> PluginSelection.resolve(withBroken, toggles(withBroken, disable("absent")),
                config(Map.of(), Map.of())))
                .hasMessage("plugin 'lonely' requires 'absent', which is broken: bad descriptor");
    }

    @Test
    void requirementsInACycleAreRefused() {
        assertThatThrownBy(() -> select(catalog(mocked("a", true, "b"), mocked("b", true, "a")), ToggleRequest.none()))
                .hasMessage("plugins require each other in a cycle: a -> b -> a");
    }

    @Test
    void aBrokenPluginStopsTheLaunchUnlessItIsSwitchedOff() {
        BrokenPlugin broken = new BrokenPlugin(Optional.of("counter"), Path.of("/p/counter.zip"),
                "its fragment native/libstasis_counter.so is not in the plugin");
        PluginCatalog catalog = new PluginCatalog(List.of(Plugins.installed(pidVirt)), List.of(broken));
        assertThatThrownBy(() -> select(catalog, ToggleRequest.none()))
                .hasMessage("plugin 'counter' (/p/counter.zip) is broken: its fragment native/libstasis_counter.so "
                        + "is not in the plugin (--disable counter runs without it)")
                .satisfies(e -> assertThat(exitCode(e)).isEqualTo(1));
        assertThat(select(catalog, disable("counter"))).isEqualTo("pid-virt");
        assertThat(select(catalog, only("pid-virt"))).isEqualTo("pid-virt");
    }

    @Test
    void aPluginFileWithoutAnIdStopsEveryLaunchExceptOnly() {
        PluginCatalog catalog = new PluginCatalog(List.of(Plugins.installed(pidVirt)), List.of(
                new BrokenPlugin(Optional.empty(), Path.of("/p/junk.zip"), "cannot unpack it: zip END header not found")));
        assertThatThrownBy(() -> select(catalog, ToggleRequest.none()))
                .hasMessage("plugin file /p/junk.zip is broken: cannot unpack it: zip END header not found "
                        + "(fix or remove it)");
        assertThat(select(catalog, only("pid-virt"))).isEqualTo("pid-virt");
    }

    @Test
    void fragmentsGetTheirPluginsSettingsAndOnlyThose() {
        ResourcePlugin counter = mocked("counter", true);
        doReturn(Map.of("STASIS_COUNTER_GREETING", "hi")).when(counter).fragmentEnvironment(any());
        PluginCatalog catalog = catalog(counter, zeta);
        PluginSelection selection = PluginSelection.resolve(catalog, toggles(catalog, ToggleRequest.none()),
                config(Map.of(), Map.of()));
        assertThat(selection.fragmentEnvironment()).containsExactly(Map.entry("STASIS_COUNTER_GREETING", "hi"));
        verify(zeta, never()).fragmentEnvironment(any());

        doReturn(Map.of("STASIS_SECRET", "0000")).when(counter).fragmentEnvironment(any());
        assertThatThrownBy(() -> select(catalog, ToggleRequest.none()))
                .hasMessage("plugin 'counter' sets the variable STASIS_SECRET for its fragment; its variables must "
                        + "be named STASIS_COUNTER_*");
        doThrow(new IllegalStateException("no greeting")).when(counter).fragmentEnvironment(any());
        assertThatThrownBy(() -> select(catalog, ToggleRequest.none()))
                .hasMessage("plugin 'counter' cannot compute its fragment's variables: no greeting");
    }
}
