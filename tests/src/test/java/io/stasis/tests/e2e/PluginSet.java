package io.stasis.tests.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * Which plugins a run enables: all of them (the default), or only the core plus what a
 * test program needs — every plugin's tests run both ways (per-plugin isolation).
 */
record PluginSet(String name, List<String> disabled) {

    /** Every built-in plugin; StasisPluginsTest checks this against `stasis plugins`. */
    static final List<String> BUILT_IN = List.of("pid-virt", "sockets", "ipc", "pty");

    static PluginSet all() {
        return new PluginSet("all plugins", List.of());
    }

    static PluginSet coreWith(List<String> required) {
        List<String> off = new ArrayList<>(BUILT_IN);
        off.removeAll(required);
        String name = required.isEmpty() ? "core only" : "core + " + String.join(", ", required);
        return new PluginSet(name, off);
    }

    /** The arguments of `stasis launch` that select this set. */
    List<String> launchFlags() {
        return disabled.isEmpty() ? List.of() : List.of("--disable", String.join(",", disabled));
    }
}
