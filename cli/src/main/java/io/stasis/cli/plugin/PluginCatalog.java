package io.stasis.cli.plugin;

import io.stasis.api.plugin.SectionDecoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Every plugin this installation knows, built-in and from the plugins directory, and those that are broken. */
public record PluginCatalog(List<InstalledPlugin> plugins, List<BrokenPlugin> broken) {

    public PluginCatalog {
        List<InstalledPlugin> sorted = new ArrayList<>(plugins);
        sorted.sort(Comparator.comparing(InstalledPlugin::id));
        plugins = List.copyOf(sorted);
        broken = List.copyOf(broken);
    }

    public Optional<InstalledPlugin> find(String id) {
        return plugins.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Optional<BrokenPlugin> findBroken(String id) {
        return broken.stream().filter(b -> b.id().equals(Optional.of(id))).findFirst();
    }

    /** Ids that {@code --enable}/{@code --disable} accept: usable plugins and broken ones whose id is known. */
    public Set<String> knownIds() {
        Set<String> ids = new TreeSet<>();
        plugins.forEach(p -> ids.add(p.id()));
        broken.forEach(b -> b.id().ifPresent(ids::add));
        return ids;
    }

    /** The image-section decoders of every usable plugin, by id, for {@code stasis inspect}. */
    public Map<String, SectionDecoder> sectionDecoders() {
        Map<String, SectionDecoder> decoders = new LinkedHashMap<>();
        for (InstalledPlugin p : plugins) {
            Optional<SectionDecoder> decoder;
            try {
                decoder = p.plugin().sectionDecoder();
            } catch (RuntimeException | LinkageError e) {
                continue; // a plugin's own failure must not cost the rest of the listing
            }
            decoder.ifPresent(d -> decoders.put(p.id(), d));
        }
        return decoders;
    }
}
