package dev.meshproof.agent.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** TCP echo: every line (newline included) goes back as it came. Lines are framed by the decoder before it. */
final class TcpEchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object line) {
        ctx.writeAndFlush(line);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // an over-long line or a reset: nothing to answer
    }
}
