package io.stasis.plugin.pty;

import io.stasis.api.plugin.ResourcePlugin;
import java.util.Optional;

/** Built-in plugin: pseudo-terminals, terminal modes and controlling terminals. */
public final class PtyPlugin implements ResourcePlugin {

    @Override
    public String id() {
        return "pty";
    }

    @Override
    public String description() {
        return "pseudo-terminals, terminal modes and controlling terminals";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.empty();
    }
}
