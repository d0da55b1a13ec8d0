package io.stasis.coordinator.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.ProtocolException;
import java.util.List;

/**
 * Bytes → {@link io.stasis.coordinator.protocol.Message}. An oversized length fails as soon as the length
 * field is in, without waiting for the bytes it announces. After the first bad frame everything else is
 * discarded: the connection is being closed.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws ProtocolException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD) {
            return;
        }
        try {
            int length = FrameCodec.checkLength(in.getUnsignedIntLE(in.readerIndex()));
            if (in.readableBytes() < FrameCodec.LENGTH_FIELD + length) {
                return;
            }
            in.skipBytes(FrameCodec.LENGTH_FIELD);
            out.add(FrameCodec.decode(in.readSlice(length).nioBuffer()));
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
