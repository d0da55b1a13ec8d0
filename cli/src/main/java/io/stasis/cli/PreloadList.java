package io.stasis.cli;

import io.stasis.cli.plugin.InstalledPlugin;
import io.stasis.cli.plugin.PluginSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The LD_PRELOAD of a launched program: libstasis.so, the enabled plugins' fragments in load order (each
 * after the fragments of the plugins it requires), then the user's own.
 */
final class PreloadList {

    private PreloadList() {
    }

    /**
     * @param userPreload the inherited LD_PRELOAD, or null; entries Stasis already preloads are not repeated
     * @throws CliException when libstasis.so or the fragment of an enabled plugin is missing
     */
    static String compose(Installation installation, PluginSelection plugins, String userPreload) {
        Path runtime = installation.runtimeLibrary();
        if (!Files.isRegularFile(runtime)) {
            throw new CliException(ExitCodes.ERROR, "the Stasis runtime " + runtime + " is missing (is the native "
                    + "part built? mvn package assembles it)");
        }
        Set<String> entries = new LinkedHashSet<>();
        entries.add(runtime.toString());
        for (InstalledPlugin plugin : plugins.enabled()) {
            Optional<String> fragment = plugin.plugin().fragment();
            if (fragment.isEmpty()) {
                continue; // a Java-only plugin, or one whose native part does not exist yet
            }
            Path file = plugin.fragmentFile().orElseGet(() -> installation.fragment(fragment.get()));
            if (!Files.isRegularFile(file)) {
                throw new CliException(ExitCodes.ERROR, "plugin '" + plugin.id() + "' is enabled but its native "
                        + "fragment " + file + " is missing (use --disable " + plugin.id() + ")");
            }
            entries.add(file.toString());
        }
        if (userPreload != null) {
            // ld.so accepts colons and white space as separators
            for (String entry : userPreload.split("[:\\s]+")) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        return String.join(":", new ArrayList<>(entries));
    }
}
