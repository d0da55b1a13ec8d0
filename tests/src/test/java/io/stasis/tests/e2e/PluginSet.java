package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which plugins a run enables. Per-plugin isolation is one line:
 * <pre>
 * PluginSet.all()                          every plugin (what users get)
 * PluginSet.only("pid-virt")               the core, pid-virt and what it requires; nothing else
 * PluginSet.coreWith(program.requires())   the same for a test program's `requires`
 * PluginSet.only("counter").withFlags("--plugins-dir", dir)   a third-party plugin, alone
 * </pre>
 * {@link Lifecycle} checks in every image it makes that the run really had those plugins.
 */
record PluginSet(String name, boolean everything, List<String> ids, List<String> extraFlags) {

    /** Every built-in plugin; StasisPluginsTest checks this against `stasis plugins`. */
    static final List<String> BUILT_IN = List.of("pid-virt", "files", "sockets", "ipc", "pty");
    /** The built-in plugins without a native fragment: they restore nothing, so no run enables them. */
    static final List<String> NO_FRAGMENT = List.of("sockets", "ipc", "pty");
    /** The built-in plugins a run with every plugin enables and its images record. */
    static final List<String> ENABLED_BY_DEFAULT = BUILT_IN.stream().filter(id -> !NO_FRAGMENT.contains(id)).toList();
    /** What each built-in plugin requires; StasisPluginsTest checks this too. */
    static final Map<String, List<String>> REQUIRES = Map.of("pid-virt", List.of(), "files", List.of(), "sockets", List.of(),
            "ipc", List.of(), "pty", List.of());

    PluginSet {
        ids = List.copyOf(ids);
        extraFlags = List.copyOf(extraFlags);
    }

    static PluginSet all() {
        return new PluginSet("all plugins", true, List.of(), List.of());
    }

    /** The core, these plugins and what they require (`stasis launch --only ID,…`). */
    static PluginSet only(String... ids) {
        String name = ids.length == 0 ? "core only" : "core + " + String.join(", ", ids);
        return new PluginSet(name, false, List.of(ids), List.of());
    }

    static PluginSet coreWith(List<String> required) {
        return only(required.toArray(String[]::new));
    }

    /** The same set, with more `stasis launch` options (e.g. `--plugins-dir DIR`). */
    PluginSet withFlags(String... flags) {
        List<String> more = new ArrayList<>(extraFlags);
        more.addAll(List.of(flags));
        return new PluginSet(name, everything, ids, more);
    }

    /** The arguments of `stasis launch` that select this set. */
    List<String> launchFlags() {
        List<String> flags = new ArrayList<>(extraFlags);
        if (!everything) {
            flags.add("--only=" + String.join(",", ids));
        }
        return flags;
    }

    /** The plugins an image of this run must have recorded (STASIS_PLUGINS): these and nothing they exclude. */
    void verify(List<String> recorded) {
        assertThat(recorded).as("plugins recorded with " + name).doesNotContainAnyElementsOf(NO_FRAGMENT);
        if (everything) {
            assertThat(recorded).as("plugins recorded with " + name)
                    .containsAll(ENABLED_BY_DEFAULT);
            return;
        }
        Set<String> allowed = new LinkedHashSet<>(ids);
        ids.forEach(id -> allowed.addAll(REQUIRES.getOrDefault(id, List.of())));
        assertThat(recorded).as("plugins recorded with " + name).containsAll(ids)
                .allMatch(id -> allowed.contains(id) || !BUILT_IN.contains(id));
    }
}
