package io.stasis.cli;

import io.stasis.api.config.ConfigKey;
import io.stasis.cli.plugin.InstalledPlugin;
import io.stasis.cli.plugin.PluginSelection;
import io.stasis.cli.plugin.PluginToggles;
import io.stasis.cli.plugin.ToggleRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which plugins run, and their settings: {@code --enable}, {@code --disable}, {@code --only}, {@code --set}. */
public final class PluginOptions {

    @Option(names = "--enable", paramLabel = "ID", split = ",",
            description = "Plugins to switch on (default: $STASIS_ENABLE, plugins.<id>.enabled, the plugin's default).")
    List<String> enable = new ArrayList<>();

    @Option(names = "--disable", paramLabel = "ID", split = ",",
            description = "Plugins to switch off (default: $STASIS_DISABLE, plugins.<id>.enabled).")
    List<String> disable = new ArrayList<>();

    @Option(names = "--only", paramLabel = "ID", split = ",",
            description = "Only these plugins and what they require; --only= runs the core alone.")
    List<String> only;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A plugin setting (see `stasis plugins`), e.g. --set counter.greeting=hi.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Mixin
    PluginsDirOption pluginsDir = new PluginsDirOption();

    /** The plugins, with the command line's settings. */
    LoadedPlugins load(CliContext ctx, Optional<Path> configFile) {
        Map<String, String> commandLine = new LinkedHashMap<>(settings);
        commandLine.putAll(pluginsDir.settings());
        LoadedPlugins loaded = LoadedPlugins.load(ctx, configFile, commandLine);
        checkSettings(loaded);
        return loaded;
    }

    PluginToggles toggles(CliContext ctx, LoadedPlugins loaded) {
        return PluginToggles.resolve(request(), ctx.env(), loaded.config(), loaded.catalog().knownIds());
    }

    /** The plugins a launch enables, in load order. */
    PluginSelection select(CliContext ctx, Optional<Path> configFile) {
        LoadedPlugins loaded = load(ctx, configFile);
        return PluginSelection.resolve(loaded.catalog(), toggles(ctx, loaded), loaded.config());
    }

    private ToggleRequest request() {
        Optional<List<String>> onlyIds = Optional.ofNullable(only)
                .map(ids -> ids.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        return new ToggleRequest(enable, disable, onlyIds);
    }

    /** {@code --set} accepts only the settings plugins declare: a typo must not go unnoticed. */
    private void checkSettings(LoadedPlugins loaded) {
        Set<String> declared = new TreeSet<>();
        for (InstalledPlugin p : loaded.catalog().plugins()) {
            p.plugin().configKeys().stream().map(ConfigKey::name).forEach(declared::add);
        }
        for (String key : settings.keySet()) {
            if (!declared.contains(key)) {
                throw new CliException(ExitCodes.USAGE, "unknown plugin setting '" + key + "' (plugin settings: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")");
            }
        }
    }
}
