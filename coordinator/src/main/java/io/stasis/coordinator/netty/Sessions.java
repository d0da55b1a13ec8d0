package io.stasis.coordinator.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.stasis.coordinator.engine.CoordinatorEngine;
import io.stasis.coordinator.protocol.Role;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the handler of an authenticated connection. The engine is attached once the server knows its
 * port; no client can authenticate before that, because the secret is published only afterwards.
 */
public final class Sessions {

    private final AtomicLong nextPeerId = new AtomicLong(1);
    private volatile CoordinatorEngine engine;

    public void attach(CoordinatorEngine value) {
        engine = value;
    }

    ChannelHandler open(Role role, Channel channel) {
        ChannelPeer peer = new ChannelPeer(nextPeerId.getAndIncrement(), channel);
        CoordinatorEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("coordinator engine not attached");
        }
        return role == Role.PROCESS ? new ProcessHandler(e, peer) : new CommandHandler(e, peer);
    }
}
