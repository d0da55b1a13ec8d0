package io.stasis.cli.plugin;

import io.stasis.api.config.StasisConfig;
import io.stasis.cli.CliException;
import io.stasis.cli.ExitCodes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plugins a launch enables, in load order — the order of their fragments in {@code LD_PRELOAD} and
 * of their ids in {@code STASIS_PLUGINS} — and the variables their fragments get.
 *
 * <p>Load order: every plugin after the plugins it requires, otherwise by id, so the order is
 * reproducible. A plugin an enabled one requires is switched on too, unless it was switched off
 * explicitly: then, as when it is missing or broken, the launch fails naming both. A broken plugin the
 * user did not switch off fails the launch: Stasis never runs a program without a resource class the user
 * may be counting on. A plugin without a native fragment is never enabled: it restores nothing.
 */
public record PluginSelection(List<InstalledPlugin> enabled, Map<String, String> fragmentEnvironment) {

    public PluginSelection {
        enabled = List.copyOf(enabled);
        fragmentEnvironment = Map.copyOf(fragmentEnvironment);
    }

    /**
     * @param config for the plugins' own settings (their fragments' variables)
     * @throws CliException naming the plugin: broken and not disabled, requiring a plugin that is missing,
     *                      broken or disabled, requirements in a cycle
     */
    public static PluginSelection resolve(PluginCatalog catalog, PluginToggles toggles, StasisConfig config) {
        for (BrokenPlugin broken : catalog.broken()) {
            if (broken.id().isPresent() && toggles.of(broken.id().get(), true).enabled()) {
                throw new CliException(ExitCodes.ERROR, broken.message() + " (--disable " + broken.id().get()
                        + " runs without it)");
            }
            if (broken.id().isEmpty() && !toggles.onlyListed()) {
                throw new CliException(ExitCodes.ERROR, broken.message() + " (fix or remove it)");
            }
        }
        Ordering ordering = new Ordering(catalog, toggles);
        for (InstalledPlugin plugin : catalog.plugins()) {
            if (toggles.of(plugin.id(), plugin.plugin().enabledByDefault()).enabled()) {
                ordering.visit(plugin.id(), null);
            }
        }
        return new PluginSelection(ordering.ordered, FragmentEnvironment.of(ordering.ordered, config));
    }

    /**
     * Whether enabling the plugin changes anything: one without a native fragment restores nothing (yet), so it
     * is never enabled, recorded in images, or counted on; libstasis then reports what it would have restored.
     */
    public static boolean restoresSomething(InstalledPlugin plugin) {
        return plugin.plugin().fragment().isPresent();
    }

    /** Comma-separated ids in load order, as in {@code STASIS_PLUGINS}. */
    public String ids() {
        return String.join(",", enabled.stream().map(InstalledPlugin::id).toList());
    }

    /** Depth first, requirements sorted by id: each plugin lands after everything it requires. */
    private static final class Ordering {

        private final PluginCatalog catalog;
        private final PluginToggles toggles;
        private final List<InstalledPlugin> ordered = new ArrayList<>();
        private final Set<String> visiting = new LinkedHashSet<>();

        Ordering(PluginCatalog catalog, PluginToggles toggles) {
            this.catalog = catalog;
            this.toggles = toggles;
        }

        void visit(String id, String neededBy) {
            Optional<InstalledPlugin> found = catalog.find(id);
            if (found.isEmpty()) {
                String why = catalog.findBroken(id).map(b -> "is broken: " + b.problem())
                        .orElse("is not installed");
                throw new CliException(ExitCodes.ERROR, "plugin '" + neededBy + "' requires '" + id + "', which "
                        + why);
            }
            InstalledPlugin plugin = found.get();
            if (ordered.contains(plugin)) {
                return;
            }
            Toggle toggle = toggles.of(id, plugin.plugin().enabledByDefault());
            if (neededBy != null && !toggle.enabled() && toggle.explicit()) {
                throw new CliException(ExitCodes.USAGE, "plugin '" + neededBy + "' requires '" + id
                        + "', which is disabled (by " + toggle.origin() + ")");
            }
            if (!visiting.add(id)) {
                throw new CliException(ExitCodes.ERROR, "plugins require each other in a cycle: "
                        + String.join(" -> ", visiting) + " -> " + id);
            }
            plugin.plugin().requires().stream().sorted().forEach(required -> visit(required, id));
            visiting.remove(id);
            if (restoresSomething(plugin)) {
                ordered.add(plugin);
            }
        }
    }
}
