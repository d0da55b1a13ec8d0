package io.stasis.coordinator.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.stasis.coordinator.engine.CoordinatorEngine;
import io.stasis.coordinator.protocol.Command;
import io.stasis.coordinator.protocol.ErrorCode;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.ProtocolException;

/** The connection of a command client ({@code stasis command}, …), after authentication. */
final class CommandHandler extends SimpleChannelInboundHandler<Message> {

    private final CoordinatorEngine engine;
    private final ChannelPeer peer;

    CommandHandler(CoordinatorEngine engine, ChannelPeer peer) {
        this.engine = engine;
        this.peer = peer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) throws ProtocolException {
        if (!(message instanceof Command command)) {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, message.type() + " is not a command message");
        }
        engine.command(peer, command);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        engine.disconnected(peer);
        ctx.fireChannelInactive();
    }
}
