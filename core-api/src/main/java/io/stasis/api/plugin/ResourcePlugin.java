package io.stasis.api.plugin;

import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * One resource class Stasis can checkpoint (pids, sockets, SysV IPC, ptys, …): the control plane of a
 * plugin whose native fragment does the work inside the program.
 *
 * <p>Enabling a plugin puts its fragment into the program's {@code LD_PRELOAD}, after the fragments of the
 * plugins it {@link #requires() requires}, and its id into {@code STASIS_PLUGINS}, which every image
 * records. Built-in plugins are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.stasis.api.plugin.ResourcePlugin}, or {@code provides} on the module
 * path); third-party plugins are PF4J plugins whose {@code @Extension} implements this interface, dropped
 * into the plugins directory as a zip holding {@code plugin.properties}, {@code lib/*.jar} and
 * {@code native/<fragment>}.
 *
 * <p>Implementations are immutable and cheap to create: Stasis instantiates them on every command.
 */
public interface ResourcePlugin extends ExtensionPoint {

    /**
     * Stable identifier: lower case letters, digits and single dashes ({@code pid-virt}). Used by
     * {@code --disable}, in config keys ({@code plugins.<id>.enabled}), in images and as the fragment's
     * {@code struct stasis_plugin.id}.
     */
    String id();

    /** One line: what this plugin virtualizes. */
    String description();

    /**
     * File name of the native fragment ({@code libstasis_<id>.so}), or empty when the plugin has none (yet).
     * Built-in fragments live in the installation's {@code lib/native}, a third-party plugin's in its own
     * {@code native/} directory.
     */
    Optional<String> fragment();

    /**
     * Ids of the plugins that must be enabled with this one and are loaded before it: the core calls
     * checkpoint-side events in load order and restart-side events in reverse.
     */
    default List<String> requires() {
        return List.of();
    }

    /** Whether the plugin is on when nothing in the configuration says otherwise. */
    default boolean enabledByDefault() {
        return true;
    }

    /**
     * The settings this plugin reads, each named {@code <id>.<name>} ({@code counter.greeting}), so they are
     * set like any other: {@code --set counter.greeting=hi}, {@code STASIS_COUNTER_GREETING},
     * {@code counter.greeting} in the config file, else the default.
     */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /**
     * The variables the launcher hands to the fragment, which reads them with {@code stasis_getenv()}.
     * Every name must start with {@code STASIS_<ID>_} (id upper-cased, dashes as underscores). The default
     * passes each {@link #configKeys() config key} that has a value under its environment name:
     * {@code counter.greeting} → {@code STASIS_COUNTER_GREETING}.
     *
     * @param config resolved with the usual precedence: command line, environment, config file, default
     */
    default Map<String, String> fragmentEnvironment(StasisConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        for (ConfigKey key : configKeys()) {
            config.resolve(key).ifPresent(value -> env.put(key.environmentName(), value.value()));
        }
        return env;
    }

    /** What the fragment uses in the coordinator, declared so it can be listed and checked. */
    default List<CoordinatorService> coordinatorServices() {
        return List.of();
    }

    /**
     * Called by {@code stasis restart} before the restarter runs, once per restart, when at least one of the
     * images holds a section of this plugin and records it as enabled: a chance to refuse (nothing has been
     * started yet, so a refusal changes nothing) or to put back what the restart needs from outside the
     * process (the files plugin's saved copies, with {@code --restore-files}). The default does nothing.
     *
     * <p>The check runs in the CLI, not in the program: it may use the file system, allocate, take its time.
     * It must not trust the bytes (an image may be damaged or from another version of the plugin).
     *
     * @throws RestartRefusedException the restart must not go ahead; the message says why, on one line
     */
    default void checkBeforeRestart(RestartCheck check) {
    }

    /** How {@code stasis inspect} shows this plugin's image section, when it knows its layout. */
    default Optional<SectionDecoder> sectionDecoder() {
        return Optional.empty();
    }
}
