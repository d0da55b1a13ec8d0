package io.stasis.plugin.sockets;

import io.stasis.api.plugin.ResourcePlugin;
import java.util.Optional;

/** Built-in plugin: TCP and UNIX-domain sockets, reconnected through the coordinator's name service. */
public final class SocketsPlugin implements ResourcePlugin {

    @Override
    public String id() {
        return "sockets";
    }

    @Override
    public String description() {
        return "TCP and UNIX-domain sockets, reconnected through the coordinator's name service";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.empty();
    }
}
