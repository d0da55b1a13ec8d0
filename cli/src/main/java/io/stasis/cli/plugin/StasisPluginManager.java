package io.stasis.cli.plugin;

import java.nio.file.Path;
import java.util.List;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;

/**
 * PF4J configured for Stasis: descriptors carry {@code plugin.native}; PF4J's own enable/disable files are
 * ignored (whether a plugin is on is decided by Stasis's flags, variables and config, per launch); a
 * plugin whose {@code plugin.dependencies} cannot be met is dropped instead of failing every other one;
 * and it loads the entries {@link PluginArchives} prepared one at a time, so each failure can be named.
 */
final class StasisPluginManager extends DefaultPluginManager {

    StasisPluginManager(Path pluginsDir, String systemVersion) {
        super(List.of(pluginsDir));
        setSystemVersion(systemVersion);
        setResolveRecoveryStrategy(ResolveRecoveryStrategy.IGNORE_PLUGIN_AND_CONTINUE);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new CompoundPluginDescriptorFinder().add(new NativePropertiesFinder()).add(new NativeManifestFinder());
    }

    @Override
    protected ExtensionFactory createExtensionFactory() {
        return new RecordingExtensionFactory();
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return false;
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("Stasis enables plugins per launch, not in files");
            }

            @Override
            public void enablePlugin(String pluginId) {
                throw new UnsupportedOperationException("Stasis enables plugins per launch, not in files");
            }
        };
    }

    /** The id in one plugin's descriptor, read without loading anything; throws why it cannot. */
    String idOf(Path loadPath) {
        return getPluginDescriptorFinder().find(loadPath).getPluginId();
    }

    /** Reads the descriptor and creates the class loader of one plugin; throws why it cannot. */
    PluginWrapper load(Path loadPath) {
        return loadPluginFromPath(loadPath);
    }

    /** Orders the loaded plugins by {@code plugin.dependencies}, dropping those whose dependencies are missing. */
    void resolve() {
        resolvePlugins();
    }

    RecordingExtensionFactory recordingExtensionFactory() {
        return (RecordingExtensionFactory) getExtensionFactory();
    }
}
