package io.stasis.coordinator.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.stasis.coordinator.CoordinatorOptions;
import io.stasis.coordinator.engine.CoordinatorEngine;
import io.stasis.coordinator.protocol.Auth;
import io.stasis.coordinator.protocol.AuthMac;
import io.stasis.coordinator.protocol.AuthOk;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Challenge;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.CommandResult;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Secret;
import io.stasis.coordinator.protocol.Verb;
import io.stasis.coordinator.protocol.Welcome;
import io.stasis.coordinator.script.RestartScriptWriter;
import io.stasis.coordinator.testing.ManualScheduler;
import io.stasis.coordinator.testing.TestClock;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Authentication and role checks on the real pipeline, without sockets. */
class AuthHandlerTest {

    private static final Register REGISTER = new Register("u-1", 10, 10, "h", "prog", 1, 0, 1, "c", "/tmp");

    private final Secret secret = Secret.random(new SecureRandom());
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Admission admission = new Admission(8);

    private EmbeddedChannel channel() {
        Sessions sessions = new Sessions();
        sessions.attach(new CoordinatorEngine(CoordinatorOptions.builder().build(), "127.0.0.1", 7779, scheduler,
                new TestClock(scheduler), new RestartScriptWriter(), reason -> { }));
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(), new FrameEncoder(),
                new AuthHandler(secret, new SecureRandom(), Duration.ofSeconds(10), sessions, admission),
                new ProtocolErrorHandler(WarningBudget.standard()));
        assertThat(admission.enter(ch)).isEmpty(); // as CoordinatorInitializer does
        return ch;
    }

    @Test
    void processAuthenticatesThenRegisters() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        send(ch, new Auth(1, 1, AuthMac.compute(secret, challenge.nonce(), 1)));
        assertThat(read(ch)).isEqualTo(new AuthOk(1));
        send(ch, REGISTER);
        assertThat(read(ch)).isEqualTo(new Welcome(1, 0, 0));
        assertThat(ch.isOpen()).isTrue();
        assertThat(admission.waiting()).as("an authenticated connection no longer counts").isZero();
    }

    @Test
    void commandClientAuthenticatesThenCommands() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        send(ch, new Auth(1, 2, AuthMac.compute(secret, challenge.nonce(), 2)));
        assertThat(read(ch)).isEqualTo(new AuthOk(1));
        send(ch, new Command(Verb.CHECKPOINT, 0));
        assertThat(read(ch)).isEqualTo(CommandResult.failed("no processes to checkpoint"));
        send(ch, REGISTER);
        assertRefused(ch, 5);
    }

    @Test
    void eachConnectionGetsAFreshNonce() {
        assertThat(((Challenge) read(channel())).nonce()).isNotEqualTo(((Challenge) read(channel())).nonce());
    }

    @Test
    void wrongSecretIsRefused() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        Secret other = Secret.random(new SecureRandom());
        send(ch, new Auth(1, 1, AuthMac.compute(other, challenge.nonce(), 1)));
        assertRefused(ch, 2);
        ch.finishAndReleaseAll();
        assertThat(admission.waiting()).as("a refused connection no longer counts").isZero();
    }

    @Test
    void aFullAdmissionPushesOutItsOldestConnection() {
        Admission two = new Admission(2);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        EmbeddedChannel third = new EmbeddedChannel();
        EmbeddedChannel fourth = new EmbeddedChannel();
        assertThat(two.enter(first)).isEmpty();
        assertThat(two.enter(second)).isEmpty();
        assertThat(two.enter(third)).contains(first);
        two.leave(second);
        assertThat(two.enter(fourth)).isEmpty();
        two.leave(first);
        assertThat(two.waiting()).isEqualTo(2);
        assertThat(two.enter(new EmbeddedChannel())).contains(third);
    }

    @Test
    void macForAnotherRoleIsRefused() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        send(ch, new Auth(1, 2, AuthMac.compute(secret, challenge.nonce(), 1)));
        assertRefused(ch, 2);
    }

    @Test
    void otherVersionIsRefused() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        send(ch, new Auth(2, 1, AuthMac.compute(secret, challenge.nonce(), 1)));
        assertRefused(ch, 1);
    }

    @Test
    void anythingBeforeAuthIsRefused() {
        EmbeddedChannel ch = channel();
        read(ch);
        send(ch, REGISTER);
        assertRefused(ch, 5);
    }

    @Test
    void silentClientIsDisconnected() {
        EmbeddedChannel ch = channel();
        read(ch);
        ch.advanceTimeBy(11, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertRefused(ch, 5);
    }

    @Test
    void processMessagesNeedRegistrationFirst() {
        EmbeddedChannel ch = channel();
        Challenge challenge = (Challenge) read(ch);
        send(ch, new Auth(1, 1, AuthMac.compute(secret, challenge.nonce(), 1)));
        read(ch);
        send(ch, new Barrier("SUSPENDED", 1));
        assertRefused(ch, 5);
    }

    private static void send(EmbeddedChannel ch, Message m) {
        ch.writeInbound(Unpooled.wrappedBuffer(FrameCodec.encode(m)));
    }

    private static Message read(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("a frame sent").isNotNull();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        try {
            return FrameCodec.decode(ByteBuffer.wrap(bytes, 4, bytes.length - 4));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(EmbeddedChannel ch, int code) {
        assertThat(FrameChannelTest.errorSent(ch).code()).isEqualTo(code);
        assertThat(ch.isOpen()).isFalse();
    }
}
