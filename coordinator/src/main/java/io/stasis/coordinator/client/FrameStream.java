package io.stasis.coordinator.client;

import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.ProtocolException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Blocking frames over a stream pair, with the framing of {@link FrameCodec}. */
final class FrameStream {

    private final DataInputStream in;
    private final OutputStream out;

    FrameStream(InputStream in, OutputStream out) {
        this.in = new DataInputStream(in);
        this.out = out;
    }

    void write(Message message) throws IOException {
        out.write(FrameCodec.encode(message));
        out.flush();
    }

    /** The next frame; {@link EOFException} when the other side closed. */
    Message read() throws IOException, ProtocolException {
        byte[] lengthField = new byte[FrameCodec.LENGTH_FIELD];
        in.readFully(lengthField);
        int length = FrameCodec.checkLength(FrameCodec.peekLength(ByteBuffer.wrap(lengthField)));
        byte[] frame = new byte[length];
        in.readFully(frame);
        return FrameCodec.decode(ByteBuffer.wrap(frame));
    }
}
