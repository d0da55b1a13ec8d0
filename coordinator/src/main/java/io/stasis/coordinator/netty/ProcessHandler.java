package io.stasis.coordinator.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.stasis.coordinator.engine.CoordinatorEngine;
import io.stasis.coordinator.protocol.Barrier;
import io.stasis.coordinator.protocol.Bye;
import io.stasis.coordinator.protocol.CkptResult;
import io.stasis.coordinator.protocol.ErrorCode;
import io.stasis.coordinator.protocol.Message;
import io.stasis.coordinator.protocol.NameLookup;
import io.stasis.coordinator.protocol.NamePublish;
import io.stasis.coordinator.protocol.Progress;
import io.stasis.coordinator.protocol.ProtocolException;
import io.stasis.coordinator.protocol.Register;
import io.stasis.coordinator.protocol.Unrestored;

/** The connection of a process's checkpoint thread, after authentication: its messages go to the engine. */
final class ProcessHandler extends SimpleChannelInboundHandler<Message> {

    private final CoordinatorEngine engine;
    private final ChannelPeer peer;

    ProcessHandler(CoordinatorEngine engine, ChannelPeer peer) {
        this.engine = engine;
        this.peer = peer;
    }

    /** Added once the connection authenticated as a process: its REGISTER is on the way. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        engine.processConnected(peer);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message message) throws ProtocolException {
        if (message instanceof Register m) {
            engine.register(peer, m);
        } else if (message instanceof Barrier m) {
            engine.barrier(peer, m);
        } else if (message instanceof CkptResult m) {
            engine.checkpointResult(peer, m);
        } else if (message instanceof Progress m) {
            engine.progress(peer, m);
        } else if (message instanceof Unrestored m) {
            engine.unrestored(peer, m);
        } else if (message instanceof Bye m) {
            engine.bye(peer, m);
        } else if (message instanceof NamePublish m) {
            engine.publish(peer, m);
        } else if (message instanceof NameLookup m) {
            engine.lookup(peer, m);
        } else {
            throw new ProtocolException(ErrorCode.NOT_ALLOWED, message.type() + " is not a process message");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        engine.disconnected(peer);
        ctx.fireChannelInactive();
    }
}
