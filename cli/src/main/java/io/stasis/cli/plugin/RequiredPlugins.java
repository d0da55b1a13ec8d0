package io.stasis.cli.plugin;

import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine has every plugin an image was taken with ({@code STASIS_PLUGINS}, recorded in its
 * PROCESS section). The restored process already holds their fragments' code, but their files must still
 * exist (children it execs preload them again) and a missing plugin means the Stasis here is not the one
 * that can restore the resources the plugin saved.
 */
public final class RequiredPlugins {

    private RequiredPlugins() {
    }

    /**
     * @param recorded the image's plugin ids
     * @throws CliException exit 5, naming every plugin that is missing, broken or without its fragment
     */
    public static void check(Path image, List<String> recorded, PluginCatalog catalog) {
        List<String> problems = new ArrayList<>();
        for (String id : recorded) {
            Optional<InstalledPlugin> plugin = catalog.find(id);
            if (plugin.isPresent()) {
                plugin.get().fragmentFile().filter(f -> !Files.isRegularFile(f))
                        .ifPresent(f -> problems.add("'" + id + "', whose fragment " + f + " is missing"));
            } else {
                problems.add(catalog.findBroken(id).map(b -> "'" + id + "', which is broken here: " + b.problem())
                        .orElse("'" + id + "', which is not installed here"));
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.RESTART_FAILED, "cannot restart " + image + ": it needs plugin "
                    + String.join("; plugin ", problems));
        }
    }
}
