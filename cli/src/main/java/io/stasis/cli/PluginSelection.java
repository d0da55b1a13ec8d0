package io.stasis.cli;

import io.stasis.api.plugin.ResourcePlugin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which plugins are on for a launch: each plugin's default, then {@code --enable}, then {@code --disable};
 * a plugin that an enabled one requires is switched on too, unless it was disabled explicitly. The
 * result is in load order: required plugins first, otherwise by id, so LD_PRELOAD is reproducible.
 */
public record PluginSelection(List<ResourcePlugin> enabled) {

    public PluginSelection {
        enabled = List.copyOf(enabled);
    }

    public static PluginSelection resolve(Collection<ResourcePlugin> available, Collection<String> enable,
                                          Collection<String> disable) {
        Map<String, ResourcePlugin> byId = new TreeMap<>();
        available.forEach(p -> byId.put(p.id(), p));
        for (String id : concat(enable, disable)) {
            if (!byId.containsKey(id)) {
                throw new CliException(ExitCodes.USAGE, "unknown plugin '" + id + "' (known: "
                        + String.join(", ", byId.keySet()) + ")");
            }
        }
        for (String id : enable) {
            if (disable.contains(id)) {
                throw new CliException(ExitCodes.USAGE, "plugin '" + id + "' is both enabled and disabled");
            }
        }
        Set<String> on = new LinkedHashSet<>();
        byId.values().stream()
                .filter(p -> (p.enabledByDefault() || enable.contains(p.id())) && !disable.contains(p.id()))
                .forEach(p -> on.add(p.id()));
        List<ResourcePlugin> ordered = new ArrayList<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (String id : List.copyOf(on)) {
            visit(id, byId, disable, ordered, visiting, null);
        }
        return new PluginSelection(ordered);
    }

    private static void visit(String id, Map<String, ResourcePlugin> byId, Collection<String> disable,
                              List<ResourcePlugin> ordered, Set<String> visiting, String neededBy) {
        ResourcePlugin plugin = byId.get(id);
        if (plugin == null) {
            throw new CliException(ExitCodes.ERROR, "plugin '" + neededBy + "' requires '" + id
                    + "', which is not installed");
        }
        if (ordered.contains(plugin)) {
            return;
        }
        if (disable.contains(id)) {
            throw new CliException(ExitCodes.USAGE, "plugin '" + neededBy + "' requires '" + id
                    + "', which is disabled");
        }
        if (!visiting.add(id)) {
            throw new CliException(ExitCodes.ERROR, "plugins require each other in a cycle: " + visiting);
        }
        List<String> requires = new ArrayList<>(plugin.requires());
        requires.sort(Comparator.naturalOrder());
        for (String required : requires) {
            visit(required, byId, disable, ordered, visiting, id);
        }
        visiting.remove(id);
        ordered.add(plugin);
    }

    /** Comma-separated ids, as in {@code STASIS_PLUGINS}. */
    public String ids() {
        return String.join(",", enabled.stream().map(ResourcePlugin::id).toList());
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
