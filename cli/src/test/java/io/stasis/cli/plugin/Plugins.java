package io.stasis.cli.plugin;

import static org.mockito.Mockito.lenient;
import static org.mockito.Mockito.mock;

import io.stasis.api.config.StasisConfig;
import io.stasis.api.plugin.ResourcePlugin;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mocked plugins and catalogs for the plugin manager's decisions. */
final class Plugins {

    private Plugins() {
    }

    /** A plugin with these declarations and the default behaviour of everything else. */
    static ResourcePlugin mocked(String id, boolean byDefault, String... requires) {
        ResourcePlugin plugin = mock(ResourcePlugin.class, org.mockito.Answers.CALLS_REAL_METHODS);
        lenient().doReturn(id).when(plugin).id();
        lenient().doReturn(id + " things").when(plugin).description();
        lenient().doReturn(Optional.of("libstasis_" + id.replace("-", "") + ".so")).when(plugin).fragment();
        lenient().doReturn(List.of(requires)).when(plugin).requires();
        lenient().doReturn(byDefault).when(plugin).enabledByDefault();
        return plugin;
    }

    static InstalledPlugin installed(ResourcePlugin plugin) {
        return new InstalledPlugin(plugin, "1.0", Optional.empty(),
                plugin.fragment().map(f -> Path.of("/stasis/lib/native", f)));
    }

    static PluginCatalog catalog(ResourcePlugin... plugins) {
        return new PluginCatalog(Arrays.stream(plugins).map(Plugins::installed).toList(), List.of());
    }

    static StasisConfig config(Map<String, String> env, Map<String, String> file) {
        return StasisConfig.of(Map.of(), env, file);
    }

    static PluginToggles toggles(PluginCatalog catalog, ToggleRequest request, Map<String, String> env,
                                 Map<String, String> file) {
        return PluginToggles.resolve(request, env, config(env, file), catalog.knownIds());
    }

    static PluginToggles toggles(PluginCatalog catalog, ToggleRequest request) {
        return toggles(catalog, request, Map.of(), Map.of());
    }

    static ToggleRequest enable(String... ids) {
        return new ToggleRequest(List.of(ids), List.of(), Optional.empty());
    }

    static ToggleRequest disable(String... ids) {
        return new ToggleRequest(List.of(), List.of(ids), Optional.empty());
    }

    static ToggleRequest only(String... ids) {
        return new ToggleRequest(List.of(), List.of(), Optional.of(List.of(ids)));
    }
}
