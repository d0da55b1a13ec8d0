package io.stasis.cli;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.ConfigValue;
import io.stasis.api.config.StasisConfig;
import io.stasis.api.json.Json;
import io.stasis.api.plugin.CoordinatorService;
import io.stasis.cli.plugin.BrokenPlugin;
import io.stasis.cli.plugin.InstalledPlugin;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stasis plugins}' output. Text: one line per plugin (id, version, enabled and why, origin), then
 * indented details; JSON: the same fields, for scripts and tests.
 */
final class PluginListing {

    private final List<PluginsCommand.Listed> plugins;
    private final List<BrokenPlugin> broken;
    private final StasisConfig config;
    private final boolean installationKnown;

    PluginListing(List<PluginsCommand.Listed> plugins, List<BrokenPlugin> broken, StasisConfig config,
                  boolean installationKnown) {
        this.plugins = List.copyOf(plugins);
        this.broken = List.copyOf(broken);
        this.config = config;
        this.installationKnown = installationKnown;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        for (PluginsCommand.Listed l : plugins) {
            InstalledPlugin p = l.plugin();
            out.append(p.id()).append("  ").append(p.version()).append("  ")
                    .append(l.enabled() ? "enabled" : "disabled").append(" (").append(l.why()).append(")  ")
                    .append(p.origin()).append('\n');
            detail(out, "virtualizes", p.plugin().description());
            detail(out, "fragment", fragment(p));
            if (!p.plugin().requires().isEmpty()) {
                detail(out, "requires", String.join(", ", p.plugin().requires()));
            }
            for (ConfigKey key : p.plugin().configKeys()) {
                detail(out, "setting", key.name() + " = " + value(key) + ": " + key.description());
            }
            for (CoordinatorService s : p.plugin().coordinatorServices()) {
                detail(out, "coordinator", kind(s) + " " + s.name() + ": " + s.description());
            }
        }
        for (BrokenPlugin b : broken) {
            out.append("broken ").append(b.label()).append(": ").append(b.problem()).append('\n');
        }
        return out.toString();
    }

    String json(Optional<String> problem) {
        List<Object> list = new ArrayList<>();
        for (PluginsCommand.Listed l : plugins) {
            InstalledPlugin p = l.plugin();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", p.id());
            o.put("version", p.version());
            o.put("enabled", l.enabled());
            o.put("why", l.why());
            o.put("origin", p.origin());
            o.put("virtualizes", p.plugin().description());
            o.put("fragment", p.plugin().fragment().orElse(null));
            o.put("fragmentPath", p.fragmentFile().map(Object::toString).orElse(null));
            o.put("fragmentInstalled", p.fragmentFile().map(Files::isRegularFile).orElse(null));
            o.put("requires", List.copyOf(p.plugin().requires()));
            List<Object> settings = new ArrayList<>();
            for (ConfigKey key : p.plugin().configKeys()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("key", key.name());
                s.put("variable", key.environmentName());
                s.put("default", key.defaultValue());
                s.put("value", config.resolve(key).map(ConfigValue::value).orElse(null));
                s.put("description", key.description());
                settings.add(s);
            }
            o.put("settings", settings);
            List<Object> services = new ArrayList<>();
            for (CoordinatorService c : p.plugin().coordinatorServices()) {
                services.add(new LinkedHashMap<>(Map.of("kind", kind(c), "name", c.name(),
                        "description", c.description())));
            }
            o.put("coordinator", services);
            list.add(o);
        }
        List<Object> brokenList = new ArrayList<>();
        for (BrokenPlugin b : broken) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", b.id().orElse(null));
            o.put("source", b.source().toString());
            o.put("problem", b.problem());
            brokenList.add(o);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("plugins", list);
        document.put("broken", brokenList);
        document.put("problem", problem.orElse(null));
        return Json.write(document);
    }

    private String fragment(InstalledPlugin p) {
        if (p.plugin().fragment().isEmpty()) {
            return p.builtIn() ? "none yet" : "none";
        }
        if (p.fragmentFile().isEmpty()) {
            return p.plugin().fragment().get() + (installationKnown ? "" : " (installation unknown)");
        }
        return p.fragmentFile().get() + (Files.isRegularFile(p.fragmentFile().get()) ? "" : " (missing)");
    }

    private String value(ConfigKey key) {
        return config.resolve(key).map(v -> v.value() + " (" + v.origin() + ")").orElse("unset");
    }

    private static String kind(CoordinatorService s) {
        return s.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void detail(StringBuilder out, String name, String value) {
        out.append("    ").append(String.format(Locale.ROOT, "%-12s", name)).append(value).append('\n');
    }
}
