package io.stasis.cli.plugin;

import io.stasis.api.plugin.ResourcePlugin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@link PluginCatalog}: the built-in plugins (found on the class path by ServiceLoader, their
 * fragments in the installation's {@code lib/native}) and the PF4J plugins of the plugins directory.
 */
public final class PluginDiscovery {

    private PluginDiscovery() {
    }

    /**
     * @param builtIns     the ServiceLoader's plugins
     * @param nativeLibDir the installation's {@code lib/native}, when known
     * @param version      Stasis's version (a {@code -SNAPSHOT} or other qualifier is ignored for
     *                     {@code plugin.requires})
     * @throws IllegalStateException a built-in plugin's declarations are wrong (a bug in Stasis)
     */
    public static PluginCatalog discover(List<ResourcePlugin> builtIns, Optional<Path> nativeLibDir, String version,
                                         PluginLocations locations) {
        List<InstalledPlugin> plugins = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ResourcePlugin plugin : builtIns) {
            DeclarationCheck.problem(plugin).ifPresent(problem -> {
                throw new IllegalStateException("built-in plugin " + plugin.getClass().getName() + ": " + problem);
            });
            if (!ids.add(plugin.id())) {
                throw new IllegalStateException("two built-in plugins have the id '" + plugin.id() + "'");
            }
            Optional<Path> fragment = plugin.fragment().flatMap(f -> nativeLibDir.map(dir -> dir.resolve(f)));
            plugins.add(new InstalledPlugin(plugin, version, Optional.empty(), fragment));
        }
        List<BrokenPlugin> broken = new ArrayList<>();
        if (locations.pluginsDir().isPresent()) {
            ThirdPartyPlugins.Result thirdParty = ThirdPartyPlugins.load(locations.pluginsDir().get(),
                    locations.cacheDir(), releaseOf(version), ids);
            plugins.addAll(thirdParty.plugins());
            broken.addAll(thirdParty.broken());
        }
        return new PluginCatalog(plugins, broken);
    }

    /** {@code 0.1.0-SNAPSHOT} → {@code 0.1.0}: a plugin written for 0.1.0 works with its snapshots. */
    static String releaseOf(String version) {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }
}
