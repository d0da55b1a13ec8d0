package io.stasis.cli.plugin;

import io.stasis.api.plugin.ResourcePlugin;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.pf4j.PluginDependency;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The PF4J plugins of a plugins directory: each either becomes an {@link InstalledPlugin} or a
 * {@link BrokenPlugin} that says why, never silently nothing.
 */
final class ThirdPartyPlugins {

    record Result(List<InstalledPlugin> plugins, List<BrokenPlugin> broken) {
    }

    private final List<InstalledPlugin> installed = new ArrayList<>();
    private final List<BrokenPlugin> broken = new ArrayList<>();
    private final Map<Path, PluginCandidate> byLoadPath = new HashMap<>();
    private final StasisPluginManager manager;
    private final String systemVersion;
    private final Set<String> builtInIds;

    private ThirdPartyPlugins(Path pluginsDir, String systemVersion, Set<String> builtInIds) {
        this.manager = new StasisPluginManager(pluginsDir, systemVersion);
        this.systemVersion = systemVersion;
        this.builtInIds = builtInIds;
    }

    /**
     * @param systemVersion Stasis's version, against which {@code plugin.requires} is checked
     * @param builtInIds    ids a plugin file may not take: its code is never run
     */
    static Result load(Path pluginsDir, Path cacheDir, String systemVersion, Set<String> builtInIds) {
        if (!Files.isDirectory(pluginsDir)) {
            return new Result(List.of(), List.of());
        }
        ThirdPartyPlugins plugins = new ThirdPartyPlugins(pluginsDir, systemVersion, Set.copyOf(builtInIds));
        for (PluginArchives.Entry entry : new PluginArchives(cacheDir).scan(pluginsDir)) {
            if (entry instanceof PluginArchives.Unusable u) {
                plugins.broken.add(new BrokenPlugin(Optional.empty(), u.source(), u.problem()));
            } else if (entry instanceof PluginArchives.Ready r) {
                plugins.load(r.candidate());
            }
        }
        plugins.resolve();
        plugins.start();
        return new Result(List.copyOf(plugins.installed), List.copyOf(plugins.broken));
    }

    private void load(PluginCandidate candidate) {
        try {
            String id = manager.idOf(candidate.loadPath());
            if (id != null && builtInIds.contains(id)) { // no id: PF4J says why below
                // no id: --disable ID would switch the built-in plugin off, not this file
                broken.add(new BrokenPlugin(Optional.empty(), candidate.source(),
                        "its id '" + id + "' is already a built-in plugin's"));
                return;
            }
            manager.load(candidate.loadPath());
            byLoadPath.put(candidate.loadPath(), candidate);
        } catch (RuntimeException | LinkageError e) {
            // an id another plugin already has would make --disable ID ambiguous: name it by its file
            Optional<String> id = peekId(candidate).filter(i -> manager.getPlugin(i) == null);
            broken.add(new BrokenPlugin(id, candidate.source(), "cannot load it: " + Failures.describe(e)));
        }
    }

    private void resolve() {
        List<PluginWrapper> loaded = manager.getPlugins();
        try {
            manager.resolve();
        } catch (RuntimeException e) {
            for (PluginWrapper w : loaded) {
                fail(w, "its plugin.dependencies cannot be resolved: " + Failures.describe(e));
            }
            return;
        }
        for (PluginWrapper w : loaded) {
            if (manager.getPlugin(w.getPluginId()) == null) {
                String dependencies = w.getDescriptor().getDependencies().stream()
                        .map(PluginDependency::getPluginId).collect(Collectors.joining(", "));
                fail(w, "its plugin.dependencies (" + dependencies + ") are not all in the plugins directory "
                        + "in a matching version");
            }
        }
    }

    private void start() {
        for (PluginWrapper w : manager.getPlugins()) {
            if (w.getPluginState() == PluginState.DISABLED) {
                fail(w, "it requires Stasis " + w.getDescriptor().getRequires() + "; this is " + systemVersion);
            }
        }
        manager.startPlugins();
        for (PluginWrapper w : manager.getPlugins()) {
            if (w.getPluginState() == PluginState.STARTED) {
                adopt(w);
            } else if (w.getPluginState() != PluginState.DISABLED) {
                fail(w, "it failed to start: " + Optional.ofNullable(w.getFailedException()).map(Failures::describe)
                        .orElse("PF4J left it " + w.getPluginState()));
            }
        }
    }

    private void adopt(PluginWrapper w) {
        String id = w.getPluginId();
        List<ResourcePlugin> extensions;
        try {
            extensions = manager.getExtensions(ResourcePlugin.class, id);
        } catch (RuntimeException | LinkageError e) {
            fail(w, "cannot create its extension: " + Failures.describe(e));
            return;
        }
        if (extensions.isEmpty()) {
            fail(w, manager.recordingExtensionFactory().failure(w.getPluginClassLoader()).orElse(
                    "it has no @Extension implementing " + ResourcePlugin.class.getName()
                            + " (a plugin must not bundle its own copy of stasis-core-api)"));
            return;
        }
        if (extensions.size() > 1) {
            fail(w, "it has " + extensions.size() + " extensions implementing ResourcePlugin; a plugin is one "
                    + "resource class");
            return;
        }
        ResourcePlugin plugin = extensions.get(0);
        Optional<String> problem = DeclarationCheck.problem(plugin);
        if (problem.isPresent()) {
            fail(w, problem.get());
            return;
        }
        if (!plugin.id().equals(id)) {
            fail(w, "its extension's id is '" + plugin.id() + "' but plugin.id is '" + id + "'");
            return;
        }
        PluginCandidate candidate = byLoadPath.get(w.getPluginPath());
        Optional<String> declared = ((StasisPluginDescriptor) w.getDescriptor()).nativeFragment();
        if (!declared.equals(plugin.fragment())) {
            fail(w, StasisPluginDescriptor.NATIVE_PROPERTY + " is " + declared.orElse("not set")
                    + " but its extension declares the fragment " + plugin.fragment().orElse("(none)"));
            return;
        }
        Optional<Path> fragmentFile = declared.map(candidate.nativeDir()::resolve);
        if (fragmentFile.isPresent() && !Files.isRegularFile(fragmentFile.get())) {
            fail(w, "its fragment native/" + declared.get() + " is not in the plugin");
            return;
        }
        installed.add(new InstalledPlugin(plugin, w.getDescriptor().getVersion(), Optional.of(candidate.source()),
                fragmentFile));
    }

    private void fail(PluginWrapper w, String problem) {
        PluginCandidate candidate = byLoadPath.get(w.getPluginPath());
        Path source = candidate == null ? w.getPluginPath() : candidate.source();
        broken.add(new BrokenPlugin(Optional.of(w.getPluginId()), source, problem));
    }

    /** The id in a directory's plugin.properties, to name a plugin PF4J could not load. */
    private static Optional<String> peekId(PluginCandidate candidate) {
        Path properties = candidate.loadPath().resolve("plugin.properties");
        if (!Files.isRegularFile(properties)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("plugin.id")).map(String::strip)
                .filter(DeclarationCheck.ID.asMatchPredicate());
    }
}
