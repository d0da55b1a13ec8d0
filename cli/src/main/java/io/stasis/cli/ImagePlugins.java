package io.stasis.cli;

import io.stasis.cli.plugin.RequiredPlugins;
import io.stasis.image.ImageReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code stasis restart}'s check that every plugin an image was taken with is here (exit 5 otherwise). */
final class ImagePlugins {

    private ImagePlugins() {
    }

    /** @param image an image {@link ImageFile#validate} accepted */
    static void requireInstalled(CliContext ctx, Path image, PluginsDirOption pluginsDir, Optional<Path> configFile) {
        List<String> recorded = ImageReader.open(image).process().plugins();
        if (recorded.isEmpty()) {
            return; // taken with the core alone: nothing to look for
        }
        LoadedPlugins loaded = LoadedPlugins.load(ctx, configFile, pluginsDir.settings());
        RequiredPlugins.check(image, recorded, loaded.catalog());
    }
}
