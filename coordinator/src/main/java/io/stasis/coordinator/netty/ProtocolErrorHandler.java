package io.stasis.coordinator.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.stasis.coordinator.protocol.ErrorReply;
import io.stasis.coordinator.protocol.ProtocolException;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Last in every pipeline: a protocol violation anywhere before it becomes {@code ERROR(code, message)},
 * the connection is closed and the coordinator logs one line (within a {@link WarningBudget}). Other
 * connections are not affected.
 */
public final class ProtocolErrorHandler extends ChannelInboundHandlerAdapter {

    private final System.Logger log = System.getLogger(ProtocolErrorHandler.class.getName());
    private final WarningBudget warnings;
    private boolean closing;

    public ProtocolErrorHandler(WarningBudget warnings) {
        this.warnings = warnings;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closing) {
            return;
        }
        closing = true;
        Throwable e = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String peer = String.valueOf(ctx.channel().remoteAddress());
        if (e instanceof ProtocolException p) {
            warnings.warn(log, "closing connection from " + peer + ": " + p.getMessage());
            ctx.writeAndFlush(new ErrorReply(p.code(), p.getMessage())).addListener(ChannelFutureListener.CLOSE);
        } else if (e instanceof IOException) {
            log.log(Level.DEBUG, () -> "connection from " + peer + " failed: " + e.getMessage());
            ctx.close();
        } else {
            log.log(Level.WARNING, "closing connection from " + peer + " after an internal error: " + e, e);
            ctx.close();
        }
    }
}
