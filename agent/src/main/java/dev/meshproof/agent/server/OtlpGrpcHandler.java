package dev.meshproof.agent.server;

import dev.meshproof.agent.otlp.OtlpEncoding;
import dev.meshproof.agent.otlp.OtlpReceiver;
import dev.meshproof.agent.otlp.OtlpRejection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * OTLP/gRPC's one call, {@code TraceService/Export}, on one HTTP/2 stream, without grpc-java: the unary gRPC wire
 * format of grpc/grpc {@code doc/PROTOCOL-HTTP2.md} — request HEADERS ({@code content-type: application/grpc…}),
 * DATA holding one length-prefixed message (1-byte compressed flag, 4-byte big-endian length; compressed with
 * {@code grpc-encoding}), answered by HEADERS, one length-prefixed {@code ExportTraceServiceResponse} and trailers
 * with {@code grpc-status}; an error is a trailers-only answer with {@code grpc-status} and {@code grpc-message}.
 * Decoding and storing are {@link OtlpReceiver#accept}'s, as for OTLP/HTTP.
 */
final class OtlpGrpcHandler extends ChannelInboundHandlerAdapter {
    static final String EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    /** The gRPC message limit OTLP names as the usual default (docs/specification.md, "OTLP/gRPC Request"). */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final int OK = 0;
    private static final int INVALID_ARGUMENT = OtlpRejection.INVALID_ARGUMENT;
    private static final int RESOURCE_EXHAUSTED = OtlpRejection.RESOURCE_EXHAUSTED;
    private static final int UNIMPLEMENTED = 12;
    private static final int INTERNAL = 13;
    private static final int UNAVAILABLE = 14;

    private final OtlpReceiver receiver;
    private final ExecutorService threads;
    private Http2Headers request;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean oversized;

    OtlpGrpcHandler(OtlpReceiver receiver, ExecutorService threads) {
        this.receiver = receiver;
        this.threads = threads;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            boolean end = false;
            if (msg instanceof Http2HeadersFrame headers) {
                if (request == null) {
                    request = headers.headers();
                } // else: request trailers, which gRPC clients do not send for a unary call
                end = headers.isEndStream();
            } else if (msg instanceof Http2DataFrame data) {
                if (body.size() + data.content().readableBytes() > MAX_MESSAGE_BYTES + 5) {
                    oversized = true;
                } else {
                    data.content().getBytes(data.content().readerIndex(), body, data.content().readableBytes());
                }
                end = data.isEndStream();
            }
            if (end) {
                respond(ctx);
            }
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream does not fail", e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx) {
        CharSequence type = request == null ? null : request.get("content-type");
        if (type == null || !type.toString().startsWith("application/grpc")) {
            // grpc/grpc doc/PROTOCOL-HTTP2.md: a request that is not gRPC SHOULD get HTTP 415.
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("415")
                    .set("content-type", "text/plain; charset=utf-8"), false));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(
                    "HTTP/2 on this port serves OTLP/gRPC (" + EXPORT_PATH + ") only; use HTTP/1.1 for the rest\n",
                    StandardCharsets.UTF_8), true));
            return;
        }
        if (!EXPORT_PATH.contentEquals(request.path() == null ? "" : request.path())) {
            fail(ctx, UNIMPLEMENTED, "unknown method " + request.path() + "; this server implements " + EXPORT_PATH);
            return;
        }
        if (oversized) {
            fail(ctx, RESOURCE_EXHAUSTED, "message larger than " + MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        byte[] framed = body.toByteArray();
        int length = framed.length < 5 ? -1 : ((framed[1] & 0xff) << 24) | ((framed[2] & 0xff) << 16) | ((framed[3] & 0xff) << 8) | (framed[4] & 0xff);
        if (length < 0 || framed.length != 5 + length || framed[0] > 1) {
            fail(ctx, INVALID_ARGUMENT, "request is not one length-prefixed gRPC message (" + framed.length + " bytes of DATA)");
            return;
        }
        String coding = null;
        if (framed[0] == 1) {
            CharSequence grpcEncoding = request.get("grpc-encoding");
            coding = grpcEncoding == null ? "" : grpcEncoding.toString();
            if (!coding.equals("gzip")) {
                fail(ctx, UNIMPLEMENTED, "compressed message with grpc-encoding \"" + coding + "\"; supported: gzip");
                return;
            }
        }
        byte[] message = Arrays.copyOfRange(framed, 5, framed.length);
        String contentCoding = coding;
        try {
            threads.execute(() -> {
                try {
                    receiver.accept(OtlpEncoding.PROTOBUF, contentCoding, message);
                    succeed(ctx);
                } catch (OtlpRejection rejection) {
                    fail(ctx, rejection.grpcCode(), rejection.getMessage());
                } catch (RuntimeException e) {
                    fail(ctx, INTERNAL, "OTLP receiver failed inside the agent: " + e);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            fail(ctx, UNAVAILABLE, "agent is shutting down");
        }
    }

    private static Http2Headers grpcHeaders() {
        return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
    }

    private static void succeed(ChannelHandlerContext ctx) {
        ByteBuf empty = Unpooled.wrappedBuffer(new byte[5]); // uncompressed, length 0: an ExportTraceServiceResponse with nothing set
        ctx.write(new DefaultHttp2HeadersFrame(grpcHeaders(), false));
        ctx.write(new DefaultHttp2DataFrame(empty, false));
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", Integer.toString(OK)), true));
    }

    /** A trailers-only answer. */
    private static void fail(ChannelHandlerContext ctx, int code, String message) {
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(grpcHeaders().set("grpc-status", Integer.toString(code))
                .set("grpc-message", percentEncode(message)), true));
    }

    /** grpc-message's encoding (PROTOCOL-HTTP2.md): UTF-8, with '%' and bytes outside 0x20..0x7E as %XX. */
    static String percentEncode(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b <= 0x7e && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // this stream only; the connection and its other streams go on
    }
}
