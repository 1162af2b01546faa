package dev.meshproof.agent.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Picks a connection's protocol from its first bytes, once: the HTTP/2 connection preface (RFC 9113 §3.4), which a
 * cleartext gRPC client sends first, gets the HTTP/2 handlers (OTLP/gRPC); anything else the HTTP/1.1 handlers. It
 * then leaves the pipeline, so no HTTP/1.1 request pays for it. An HTTP/1.1 request line can never start with
 * {@code PRI *}, so the first differing byte decides.
 */
final class Http2PrefaceSniffer extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<ChannelHandler[]> http1;
    private final Supplier<ChannelHandler[]> http2;

    Http2PrefaceSniffer(Supplier<ChannelHandler[]> http1, Supplier<ChannelHandler[]> http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int seen = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < seen; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                switchTo(ctx, http1.get());
                return;
            }
        }
        if (seen == PREFACE.length) {
            switchTo(ctx, http2.get());
        }
        // else: a prefix of the preface so far; wait for more bytes
    }

    /** Installs the chosen handlers behind this one and leaves; the bytes read so far go on to them. */
    private void switchTo(ChannelHandlerContext ctx, ChannelHandler[] handlers) {
        String after = ctx.name();
        for (ChannelHandler handler : handlers) { // in order: a handler may look for the ones before it when added
            String name = after + "-" + handler.getClass().getSimpleName();
            ctx.pipeline().addAfter(after, name, handler);
            after = name;
        }
        ctx.pipeline().remove(this);
    }
}
