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

    /** An unauthenticated connection is closed after this long: a real client needs one round trip. */
    public static final Duration AUTH_TIME_LIMIT = Duration.ofSeconds(3);

    private final System.Logger log = System.getLogger(CoordinatorInitializer.class.getName());
    private final Secret secret;
    private final SecureRandom random;
    private final Sessions sessions;
    private final ChannelGroup connections;
    private final Admission admission = new Admission(Admission.DEFAULT_LIMIT);
    private final WarningBudget warnings = WarningBudget.standard();

    public CoordinatorInitializer(Secret secret, SecureRandom random, Sessions sessions, ChannelGroup connections) {
        this.secret = secret;
        this.random = random;
        this.sessions = sessions;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        admission.enter(channel).ifPresent(oldest -> {
            warnings.warn(log, "closing connection from " + oldest.remoteAddress() + ": the oldest of "
                    + Admission.DEFAULT_LIMIT + " connections waiting to authenticate");
            oldest.close();
        });
        connections.add(channel);
        ChannelPipeline p = channel.pipeline();
        p.addLast("decoder", new FrameDecoder());
        p.addLast("encoder", new FrameEncoder());
        p.addLast("auth", new AuthHandler(secret, random, AUTH_TIME_LIMIT, sessions, admission));
        p.addLast("errors", new ProtocolErrorHandler(warnings));
    }
}
