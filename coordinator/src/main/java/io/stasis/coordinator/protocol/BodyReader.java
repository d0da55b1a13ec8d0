package io.stasis.coordinator.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads little-endian fields of one frame; every shortfall or leftover is a malformed frame. */
public final class BodyReader {

    private final ByteBuffer buffer;

    public BodyReader(ByteBuffer body) {
        this.buffer = body.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int u16() throws ProtocolException {
        need(2);
        return Short.toUnsignedInt(buffer.getShort());
    }

    public long u32() throws ProtocolException {
        need(4);
        return Integer.toUnsignedLong(buffer.getInt());
    }

    public long u64() throws ProtocolException {
        need(8);
        return buffer.getLong();
    }

    public String str() throws ProtocolException {
        int length = u16();
        need(length);
        ByteBuffer utf8 = buffer.slice().limit(length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(utf8)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, "string is not UTF-8");
        }
    }

    /** A u32 length followed by that many bytes. */
    public Bytes blob() throws ProtocolException {
        long length = u32();
        if (length > buffer.remaining()) {
            throw truncated();
        }
        return raw((int) length);
    }

    public Bytes raw(int length) throws ProtocolException {
        need(length);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return Bytes.of(bytes);
    }

    /** Every body must be consumed exactly. */
    public void end() throws ProtocolException {
        if (buffer.hasRemaining()) {
            throw new ProtocolException(ErrorCode.MALFORMED, buffer.remaining() + " trailing bytes");
        }
    }

    private void need(int bytes) throws ProtocolException {
        if (buffer.remaining() < bytes) {
            throw truncated();
        }
    }

    private static ProtocolException truncated() {
        return new ProtocolException(ErrorCode.MALFORMED, "body too short");
    }
}
