package io.stasis.coordinator.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Bytes;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.ErrorCode;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.Protocol;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Role;
import io.stasis.coordinator.protocol.Secret;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * First handler of a connection: sends CHALLENGE with a fresh nonce, checks the AUTH mac, answers AUTH_OK
 * and hands the connection to the session handler of the client's role. Anything else, or nothing within
 * the time limit, is a protocol error.
 */
public final class AuthHandler extends SimpleChannelInboundHandler<Message> {

    private final Secret secret;
    private final SecureRandom random;
    private final Duration timeLimit;
    private final Sessions sessions;
    private final Admission admission;
    private Bytes nonce;
    private ScheduledFuture<?> deadline;

    /** The connection already entered {@code admission}; this handler makes it leave. */
    public AuthHandler(Secret secret, SecureRandom random, Duration timeLimit, Sessions sessions, Admission admission) {
        this.secret = secret;
        this.random = random;
        this.timeLimit = timeLimit;
        this.sessions = sessions;
        this.admission = admission;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        byte[] fresh = new byte[Protocol.NONCE_LENGTH];
        random.nextBytes(fresh);
        nonce = Bytes.of(fresh);
        ctx.writeAndFlush(new Challenge(Protocol.VERSION, nonce));
        deadline = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new ProtocolException(
                ErrorCode.NOT_ALLOWED, "no AUTH within " + timeLimit.toSeconds() + " s")),
                timeLimit.toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        admission.leave(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) throws ProtocolException {
        if (!(message instanceof Auth auth)) {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, message.type() + " before authentication");
        }
        if (auth.version() != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.BAD_VERSION,
                    "protocol version " + auth.version() + ", this coordinator speaks " + Protocol.VERSION);
        }
        Role role = Role.of(auth.role())
                .orElseThrow(() -> new ProtocolException(ErrorCode.MALFORMED, "unknown role " + auth.role()));
        if (!AuthMac.verify(secret, nonce, auth.role(), auth.mac())) {
            throw new ProtocolException(ErrorCode.BAD_SECRET, "bad secret");
        }
        cancelDeadline();
        admission.leave(ctx.channel());
        ctx.writeAndFlush(new AuthOk(Protocol.VERSION));
        ctx.pipeline().replace(this, "session", sessions.open(role, ctx.channel()));
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
