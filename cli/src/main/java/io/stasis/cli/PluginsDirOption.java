package io.stasis.cli;

import io.stasis.cli.plugin.PluginLocations;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --plugins-dir}, for every command that needs the third-party plugins. */
public final class PluginsDirOption {

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Third-party plugins (default: $STASIS_PLUGINS_DIR, plugins.dir in the config file, "
                    + "~/.local/share/stasis/plugins).")
    Path pluginsDir;

    /** The command-line settings it stands for ({@code plugins.dir}). */
    Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        if (pluginsDir != null) {
            settings.put(PluginLocations.DIR_KEY, pluginsDir.toString());
        }
        return settings;
    }
}
