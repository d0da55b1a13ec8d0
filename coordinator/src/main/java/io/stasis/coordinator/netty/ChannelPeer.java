package io.stasis.coordinator.netty;

import io.netty.channel.Channel;
import io.stasis.coordinator.engine.Peer;
import io.stasis.coordinator.protocol.Message;
import java.net.InetSocketAddress;

/** A Netty channel as the engine's {@link Peer}. */
final class ChannelPeer implements Peer {

    private final long id;
    private final Channel channel;

    ChannelPeer(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String address() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public boolean onThisMachine() {
        return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }

    @Override
    public void send(Message message) {
        // a write to a connection that just closed fails quietly; its closing is handled elsewhere
        channel.writeAndFlush(message);
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "peer " + id + " " + address();
    }
}
