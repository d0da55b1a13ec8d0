package io.stasis.coordinator.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Framing of docs/protocol.md as pure functions on byte buffers, shared by the Netty pipeline and the
 * blocking {@code CommandClient}.
 *
 * <pre>
 * 0  u32 length    bytes after this field, 4 ≤ length ≤ 1 048 576
 * 4  u16 type
 * 6  u16 reserved  0
 * 8  body
 * </pre>
 * {@code BARRIER{name="SUSPENDED", generation=3}}:
 * {@code 13000000 1300 0000 0900 53555350454E444544 03000000}.
 */
public final class FrameCodec {

    /** Size of the length field. */
    public static final int LENGTH_FIELD = 4;
    /** Smallest value of the length field: type and reserved, empty body. */
    public static final int MIN_LENGTH = 4;
    /** Largest value of the length field. */
    public static final int MAX_LENGTH = 1 << 20;

    private FrameCodec() {
    }

    /** The whole frame, length field included. */
    public static byte[] encode(Message message) {
        BodyWriter body = new BodyWriter();
        message.writeBody(body);
        int length = MIN_LENGTH + body.size();
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(message.type() + " frame longer than " + MAX_LENGTH + " bytes");
        }
        return ByteBuffer.allocate(LENGTH_FIELD + length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(length)
                .putShort((short) message.type().code())
                .putShort((short) 0)
                .put(body.toByteArray())
                .array();
    }

    /** Reads the length field at the buffer's position (little-endian) without consuming it. */
    public static long peekLength(ByteBuffer buffer) {
        return Integer.toUnsignedLong(buffer.order(ByteOrder.LITTLE_ENDIAN).getInt(buffer.position()));
    }

    /** Checks a length field before its bytes are awaited, so an oversized frame fails at once. */
    public static int checkLength(long length) throws ProtocolException {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new ProtocolException(ErrorCode.MALFORMED,
                    "frame length " + length + " outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        return (int) length;
    }

    /** Decodes what follows the length field: all remaining bytes are type, reserved and body. */
    public static Message decode(ByteBuffer frame) throws ProtocolException {
        BodyReader in = new BodyReader(frame);
        int code = in.u16();
        in.u16(); // reserved: ignored so that a later version may use it
        MessageType type = MessageType.of(code)
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, "unknown message type " + code));
        try {
            Message message = type.read(in);
            in.end();
            return message;
        } catch (ProtocolException e) {
            throw new ProtocolException(e.code(), "malformed " + type + " frame: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, "malformed " + type + " frame: " + e.getMessage());
        }
    }
}
