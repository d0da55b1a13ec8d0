package io.stasis.coordinator.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.stasis.coordinator.protocol.ErrorReply;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.ProtocolVectors;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Decoder, encoder and error handling on an {@link EmbeddedChannel}, against the shared vectors. */
class FrameChannelTest {

    private final ProtocolVectors vectors = ProtocolVectors.load();
    private final Map<String, Message> expected = ProtocolVectors.expectedFrames();

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new FrameDecoder(), new FrameEncoder(), new ProtocolErrorHandler(WarningBudget.standard()));
    }

    @TestFactory
    Iterable<DynamicTest> everyVectorThroughThePipeline() {
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            EmbeddedChannel ch = channel();
            byte[] bytes = vectors.frames.get(e.getKey());
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            assertThat((Object) ch.readInbound()).isEqualTo(e.getValue());
            ch.writeOutbound(e.getValue());
            ByteBuf out = ch.readOutbound();
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(bytes);
            out.release();
            assertThat(ch.isOpen()).isTrue();
            ch.finishAndReleaseAll();
        })).toList();
    }

    @Test
    void framesSplitAnywhereOrPackedTogetherDecodeInOrder() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        expected.keySet().forEach(name -> all.writeBytes(vectors.frames.get(name)));
        byte[] bytes = all.toByteArray();

        EmbeddedChannel oneByteAtATime = channel();
        for (byte b : bytes) {
            oneByteAtATime.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(oneByteAtATime)).containsExactlyElementsOf(expected.values());

        EmbeddedChannel together = channel();
        together.writeInbound(Unpooled.wrappedBuffer(bytes));
        assertThat(drain(together)).containsExactlyElementsOf(expected.values());
    }

    @TestFactory
    Iterable<DynamicTest> everyBadVectorClosesTheChannelWithError() {
        return vectors.bad.stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            EmbeddedChannel ch = channel();
            ch.writeInbound(Unpooled.wrappedBuffer(bad.bytes()));
            assertThat((Object) ch.readInbound()).isNull();
            assertThat(ch.isOpen()).isFalse();
            assertThat(errorSent(ch).code()).isEqualTo(bad.code());
        })).toList();
    }

    @Test
    void oversizedFrameFailsBeforeItsBytesArrive() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01, 0x00, 0x10, 0x00}));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void goodFrameThenGarbage() {
        EmbeddedChannel ch = channel();
        byte[] good = vectors.frames.get("BARRIER");
        byte[] garbage = {0x04, 0, 0, 0, (byte) 0xff, 0, 0, 0, 1, 2, 3};
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(good);
        both.writeBytes(garbage);
        ch.writeInbound(Unpooled.wrappedBuffer(both.toByteArray()));
        assertThat((Object) ch.readInbound()).isEqualTo(expected.get("BARRIER"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(errorSent(ch).code()).isEqualTo(4);
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> result = new ArrayList<>();
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            result.add(m);
        }
        return result;
    }

    static ErrorReply errorSent(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("an ERROR frame").isNotNull();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        try {
            return (ErrorReply) FrameCodec.decode(ByteBuffer.wrap(bytes, 4, bytes.length - 4));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
