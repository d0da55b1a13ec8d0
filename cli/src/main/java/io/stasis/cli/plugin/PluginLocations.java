package io.stasis.cli.plugin;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where third-party plugins are dropped, and where their archives are unpacked.
 *
 * @param pluginsDir {@code --plugins-dir}, else {@code STASIS_PLUGINS_DIR}, else {@code plugins.dir} in the
 *                   config file, else {@code $XDG_DATA_HOME/stasis/plugins} or
 *                   {@code ~/.local/share/stasis/plugins}; empty means "built-in plugins only"
 * @param cacheDir   {@code $XDG_CACHE_HOME/stasis/plugins} or {@code ~/.cache/stasis/plugins}: unpacked
 *                   plugins, which must outlive the programs (and images) that preload their fragments
 */
public record PluginLocations(Optional<Path> pluginsDir, Path cacheDir) {

    public static final String DIR_KEY = "plugins.dir";

    /** Built-in plugins only. */
    public static PluginLocations none(Path cacheDir) {
        return new PluginLocations(Optional.empty(), cacheDir);
    }

    /**
     * @param config resolves {@code plugins.dir} (command line, then environment, then file); relative
     *               directories are taken from {@code cwd}
     */
    public static PluginLocations resolve(StasisConfig config, Map<String, String> env, Path cwd) {
        ConfigKey key = new ConfigKey(DIR_KEY, defaultDir(env, "XDG_DATA_HOME", ".local/share").toString(),
                "directory of third-party plugins");
        Path dir = cwd.resolve(config.get(key)).normalize();
        return new PluginLocations(Optional.of(dir), defaultDir(env, "XDG_CACHE_HOME", ".cache"));
    }

    private static Path defaultDir(Map<String, String> env, String xdgVariable, String underHome) {
        String xdg = env.getOrDefault(xdgVariable, "");
        if (xdg.startsWith("/")) {
            return Path.of(xdg, "stasis", "plugins");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home).resolve(underHome).resolve("stasis").resolve("plugins");
    }
}
