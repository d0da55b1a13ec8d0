package io.stasis.api.plugin;

import java.util.List;
import java.util.Optional;

/**
 * One resource class Stasis can checkpoint (pids, files, sockets, IPC, ptys, …).
 *
 * <p>The Java side is the control plane: it names the native fragment that the
 * launcher adds to {@code LD_PRELOAD} when the plugin is enabled, the plugins it
 * needs, and its configuration. Built-in plugins are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.stasis.api.plugin.ResourcePlugin}).
 */
public interface ResourcePlugin {

    /** Stable identifier, e.g. {@code "pid-virt"}; used by {@code --disable} and in images. */
    String id();

    /** One line: what this plugin virtualizes. */
    String description();

    /** File name of the native fragment in {@code lib/native}, or empty when the plugin has none. */
    Optional<String> fragment();

    /** Ids of plugins that must be enabled, and loaded before this one. */
    default List<String> requires() {
        return List.of();
    }

    /** Whether the plugin is on when nothing in the configuration says otherwise. */
    default boolean enabledByDefault() {
        return true;
    }
}
