package io.stasis.coordinator.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.stasis.coordinator.protocol.Secret;
import java.security.SecureRandom;
import java.time.Duration;

/** Pipeline of every connection: decoder, encoder, authentication (then session), error handling. */
public final class CoordinatorInitializer extends ChannelInitializer<SocketChannel> {

    /** An unauthenticated connection is closed after this long. */
    public static final Duration AUTH_TIME_LIMIT = Duration.ofSeconds(10);

    private final Secret secret;
    private final SecureRandom random;
    private final Sessions sessions;
    private final ChannelGroup connections;

    public CoordinatorInitializer(Secret secret, SecureRandom random, Sessions sessions, ChannelGroup connections) {
        this.secret = secret;
        this.random = random;
        this.sessions = sessions;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        ChannelPipeline p = channel.pipeline();
        p.addLast("decoder", new FrameDecoder());
        p.addLast("encoder", new FrameEncoder());
        p.addLast("auth", new AuthHandler(secret, random, AUTH_TIME_LIMIT, sessions));
        p.addLast("errors", new ProtocolErrorHandler());
    }
}
