package dev.meshproof.agent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.meshproof.agent.AgentVersion;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.Caller;
import dev.meshproof.agent.call.InvalidCallRequestException;
import dev.meshproof.agent.otlp.OtlpReceiver;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Routes the agent's HTTP port: {@code /echo[/…]}, {@code POST /call}, {@code /healthz}, {@code /readyz}, {@code /stats},
 * and the OTLP trace receiver's {@code POST /v1/traces} and {@code GET /otlp/spans}. The call API blocks on sockets and
 * the receiver decodes whole exports, so both run on their own threads, never on the event loop.
 */
@ChannelHandler.Sharable
final class AgentHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final AsciiString AGENT_HEADER = AsciiString.cached(AgentVersion.HEADER);
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");

    private final EchoResponder echo;
    private final Caller caller;
    private final OtlpReceiver otlp;
    private final ExecutorService callThreads;
    private final ServerStats stats;
    private final AtomicBoolean ready;

    AgentHttpHandler(EchoResponder echo, Caller caller, OtlpReceiver otlp, ExecutorService callThreads, ServerStats stats,
                     AtomicBoolean ready) {
        this.echo = echo;
        this.caller = caller;
        this.otlp = otlp;
        this.callThreads = callThreads;
        this.stats = stats;
        this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        stats.httpRequest();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, "malformed request: " + request.decoderResult().cause()));
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (EchoResponder.handles(path)) {
            echo(ctx, request, query, keepAlive);
        } else if (path.equals("/call")) {
            if (!request.method().equals(HttpMethod.POST)) {
                send(ctx, keepAlive, error(HttpResponseStatus.METHOD_NOT_ALLOWED, "/call takes POST with a JSON body"));
            } else {
                call(ctx, request.content().retain(), keepAlive);
            }
        } else if (path.equals("/healthz")) {
            send(ctx, keepAlive, text(HttpResponseStatus.OK, "ok"));
        } else if (path.equals("/readyz")) {
            send(ctx, keepAlive, ready.get() ? text(HttpResponseStatus.OK, "ready")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down"));
        } else if (path.equals("/stats")) {
            send(ctx, keepAlive, json(HttpResponseStatus.OK, stats.snapshot()));
        } else if (path.equals(OtlpReceiver.TRACES_PATH)) {
            if (!request.method().equals(HttpMethod.POST)) {
                send(ctx, keepAlive, error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        OtlpReceiver.TRACES_PATH + " takes POST with an OTLP/HTTP body (application/x-protobuf or application/json)"));
            } else {
                String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
                String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
                byte[] body = ByteBufUtil.getBytes(request.content());
                otlp(ctx, keepAlive, () -> otlp.export(type, coding, body));
            }
        } else if (path.equals(OtlpReceiver.SPANS_PATH)) {
            if (!request.method().equals(HttpMethod.GET)) {
                send(ctx, keepAlive, error(HttpResponseStatus.METHOD_NOT_ALLOWED, OtlpReceiver.SPANS_PATH + " takes GET"));
            } else {
                otlp(ctx, keepAlive, () -> otlp.spans(query.parameters().get("traceId")));
            }
        } else {
            send(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "no route for " + path
                    + "; routes: /echo[/...], POST /call, /healthz, /readyz, /stats, POST /v1/traces, GET /otlp/spans"));
        }
    }

    private void echo(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, boolean keepAlive) {
        EchoResponder.Echo e;
        try {
            e = echo.echo(request, query, ctx.channel().remoteAddress());
        } catch (EchoResponder.BadRequest bad) {
            send(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, bad.getMessage()));
            return;
        }
        FullHttpResponse response = response(e.status(), JSON, e.body());
        stats.echoStarted();
        if (e.delayMs() == 0) {
            stats.echoFinished();
            send(ctx, keepAlive, response);
        } else {
            ctx.executor().schedule(() -> {
                stats.echoFinished();
                send(ctx, keepAlive, response);
            }, e.delayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void call(ChannelHandlerContext ctx, ByteBuf body, boolean keepAlive) {
        try {
            callThreads.execute(() -> {
                FullHttpResponse response;
                try (ByteBufInputStream in = new ByteBufInputStream(body, true)) {
                    CallRequest request = Json.MAPPER.readValue((java.io.InputStream) in, CallRequest.class);
                    if (request == null) {
                        throw new InvalidCallRequestException("the body must be a JSON object with at least 'url'");
                    }
                    response = json(HttpResponseStatus.OK, caller.call(request));
                } catch (UnrecognizedPropertyException e) {
                    response = error(HttpResponseStatus.BAD_REQUEST, "unknown field '" + e.getPropertyName()
                            + "'; known: url, count, timeoutMs, headers, method, body, newConnectionPerCall, concurrency");
                } catch (JsonProcessingException e) {
                    response = error(HttpResponseStatus.BAD_REQUEST, "body is not a valid call request: " + e.getOriginalMessage()
                            + fieldOf(e));
                } catch (InvalidCallRequestException e) {
                    response = error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
                } catch (IOException | RuntimeException e) {
                    response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "call failed inside the agent: " + e);
                }
                send(ctx, keepAlive, response);
            });
        } catch (RejectedExecutionException shuttingDown) {
            body.release();
            send(ctx, false, error(HttpResponseStatus.SERVICE_UNAVAILABLE, "agent is shutting down"));
        }
    }

    private void otlp(ChannelHandlerContext ctx, boolean keepAlive, Supplier<OtlpReceiver.Reply> work) {
        try {
            callThreads.execute(() -> {
                FullHttpResponse response;
                try {
                    OtlpReceiver.Reply reply = work.get();
                    response = response(HttpResponseStatus.valueOf(reply.status()), AsciiString.of(reply.contentType()),
                            Unpooled.wrappedBuffer(reply.body()));
                    reply.headers().forEach(response.headers()::set);
                } catch (RuntimeException e) {
                    response = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "OTLP receiver failed inside the agent: " + e);
                }
                send(ctx, keepAlive, response);
            });
        } catch (RejectedExecutionException shuttingDown) {
            send(ctx, false, error(HttpResponseStatus.SERVICE_UNAVAILABLE, "agent is shutting down"));
        }
    }

    private static String fieldOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            return " (field '" + m.getPath().get(m.getPath().size() - 1).getFieldName() + "')";
        }
        return "";
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive); // HttpServerKeepAliveHandler closes after a Connection: close
        ctx.writeAndFlush(response);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object value) {
        try {
            return response(status, JSON, Unpooled.wrappedBuffer(Json.MAPPER.writeValueAsBytes(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, AsciiString type, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(AGENT_HEADER, AgentVersion.VERSION);
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a protocol violation on this connection: nothing sensible to answer
    }

}
