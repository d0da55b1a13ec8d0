package io.stasis.coordinator.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.stasis.coordinator.protocol.FrameCodec;
import io.stasis.coordinator.protocol.Message;

/** {@link Message} → bytes of one frame. */
public final class FrameEncoder extends MessageToByteEncoder<Message> {

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
        out.writeBytes(FrameCodec.encode(message));
    }
}
