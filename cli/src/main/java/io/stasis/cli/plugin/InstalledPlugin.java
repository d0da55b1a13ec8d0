package io.stasis.cli.plugin;

import io.stasis.api.plugin.ResourcePlugin;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin that can be enabled: its Java side and where its native fragment is.
 *
 * @param version      the plugin's version (a built-in plugin has Stasis's)
 * @param source       the file or directory in the plugins directory it came from; empty for a built-in
 * @param fragmentFile where the fragment must be; empty when the plugin has no fragment, or for a built-in
 *                     when the installation is unknown. The file may be missing (a build without native
 *                     code): launching with the plugin enabled says so.
 */
public record InstalledPlugin(ResourcePlugin plugin, String version, Optional<Path> source,
                              Optional<Path> fragmentFile) {

    public InstalledPlugin {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fragmentFile, "fragmentFile");
    }

    public String id() {
        return plugin.id();
    }

    public boolean builtIn() {
        return source.isEmpty();
    }

    /** "built-in", or the file it came from. */
    public String origin() {
        return source.map(Path::toString).orElse("built-in");
    }
}
