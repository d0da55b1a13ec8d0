package io.stasis.coordinator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The pure codec against docs/protocol-vectors.txt. */
class FrameCodecTest {

    private final ProtocolVectors vectors = ProtocolVectors.load();

    @Test
    void everyMessageTypeHasAVectorAndEveryVectorIsKnown() {
        Map<String, Message> expected = ProtocolVectors.expectedFrames();
        assertThat(vectors.frames.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        expected.values().forEach(m -> covered.add(m.type()));
        assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
    }

    @TestFactory
    Iterable<DynamicTest> encodesAndDecodesEveryFrameVector() {
        return ProtocolVectors.expectedFrames().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            byte[] bytes = vectors.frames.get(e.getKey());
            assertThat(FrameCodec.encode(e.getValue())).isEqualTo(bytes);
            assertThat(FrameCodec.peekLength(ByteBuffer.wrap(bytes))).isEqualTo(bytes.length - 4L);
            assertThat(FrameCodec.decode(ByteBuffer.wrap(bytes, 4, bytes.length - 4))).isEqualTo(e.getValue());
        })).toList();
    }

    @TestFactory
    Iterable<DynamicTest> rejectsEveryBadVector() {
        return vectors.bad.stream().map(bad -> DynamicTest.dynamicTest(bad.name(), () -> {
            byte[] b = bad.bytes();
            ErrorCode expected = ErrorCode.of(bad.code()).orElseThrow();
            assertThatThrownBy(() -> {
                int length = FrameCodec.checkLength(FrameCodec.peekLength(ByteBuffer.wrap(b)));
                FrameCodec.decode(ByteBuffer.wrap(Arrays.copyOfRange(b, 4, Math.min(b.length, 4 + length))));
            }).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(expected));
        })).toList();
    }

    @Test
    void hmacVectors() {
        assertThat(vectors.hmacs).hasSize(2);
        for (ProtocolVectors.Hmac h : vectors.hmacs) {
            assertThat(AuthMac.compute(h.secret(), h.nonce(), h.role())).isEqualTo(h.mac());
            assertThat(AuthMac.verify(h.secret(), h.nonce(), h.role(), h.mac())).isTrue();
            assertThat(AuthMac.verify(h.secret(), h.nonce(), 3 - h.role(), h.mac())).isFalse();
        }
    }

    @Test
    void refusesToEncodeWhatDoesNotFit() {
        assertThatThrownBy(() -> FrameCodec.encode(new Barrier("x".repeat(70_000), 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.encode(new Welcome(1L << 32, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameCodec.encode(new NamePublish("k", Bytes.of(new byte[FrameCodec.MAX_LENGTH]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestFrameIsAccepted() {
        byte[] value = new byte[FrameCodec.MAX_LENGTH - 4 - 2 - 1 - 4];
        byte[] frame = FrameCodec.encode(new NamePublish("k", Bytes.of(value)));
        assertThat(frame).hasSize(4 + FrameCodec.MAX_LENGTH);
    }

    @Test
    void secretNeverPrints() {
        Secret s = vectors.hmacs.get(0).secret();
        assertThat(s.toString()).doesNotContain(s.hex());
        assertThat(Secret.fromHex(s.hex().toUpperCase())).isEqualTo(s);
        assertThatThrownBy(() -> Secret.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
