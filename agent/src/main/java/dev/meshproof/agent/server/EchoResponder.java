package dev.meshproof.agent.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the echo reply for {@code /echo} and any path below it. Query parameters:
 * {@code size} (body size in bytes, padded with a {@code padding} field; 0..{@value #MAX_SIZE}),
 * {@code delayMs} (answer after this delay; 0..{@value #MAX_DELAY_MS}), {@code status} (answer with this
 * HTTP status; 200..599).
 */
final class EchoResponder {
    static final int MAX_SIZE = 1024 * 1024;
    static final int MAX_DELAY_MS = 60_000;
    private static final byte[] PADDING_OPEN = ",\"padding\":\"".getBytes(StandardCharsets.US_ASCII);

    private final AgentIdentity identity;
    private final ServerStats stats;

    /** What to send and when. */
    record Echo(HttpResponseStatus status, ByteBuf body, int delayMs) {
    }

    EchoResponder(AgentIdentity identity, ServerStats stats) {
        this.identity = identity;
        this.stats = stats;
    }

    ServerStats stats() {
        return stats;
    }

    static boolean handles(String path) {
        return path.equals("/echo") || path.startsWith("/echo/");
    }

    Echo echo(FullHttpRequest request, QueryStringDecoder query, SocketAddress peer) throws BadRequest {
        int size = intParam(query, "size", 0, MAX_SIZE);
        int delayMs = intParam(query, "delayMs", 0, MAX_DELAY_MS);
        int status = intParam(query, "status", 200, 599, 200);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(h.getValue());
        }
        String rawQuery = query.rawQuery();
        String peerAddress = null;
        Integer peerPort = null;
        if (peer instanceof InetSocketAddress inet) {
            peerAddress = inet.getAddress().getHostAddress();
            peerPort = inet.getPort();
        }
        EchoReply reply = new EchoReply(request.method().name(), query.path(), rawQuery.isEmpty() ? null : rawQuery,
                request.protocolVersion().text(), headers, identity.pod(), identity.namespace(),
                identity.serviceAccount(), identity.version(), peerAddress, peerPort, null);
        return new Echo(HttpResponseStatus.valueOf(status), padded(reply, size), delayMs);
    }

    /** The JSON, with a padding field appended inside the object so the body is exactly {@code size} bytes when it can be. */
    private static ByteBuf padded(EchoReply reply, int size) {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise echo reply", e);
        }
        int fill = size - json.length - PADDING_OPEN.length - 1;
        if (fill < 0) {
            return Unpooled.wrappedBuffer(json); // asked for less than the echo itself: the echo is not cut
        }
        ByteBuf body = Unpooled.buffer(size);
        body.writeBytes(json, 0, json.length - 1); // without the closing brace
        body.writeBytes(PADDING_OPEN);
        body.writeCharSequence("x".repeat(fill), StandardCharsets.US_ASCII);
        body.writeByte('"').writeByte('}');
        return body;
    }

    private static int intParam(QueryStringDecoder q, String name, int min, int max) throws BadRequest {
        return intParam(q, name, min, max, 0);
    }

    private static int intParam(QueryStringDecoder q, String name, int min, int max, int absent) throws BadRequest {
        List<String> values = q.parameters().get(name);
        if (values == null || values.isEmpty()) {
            return absent;
        }
        try {
            int v = Integer.parseInt(values.get(0));
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest("query parameter '" + name + "' is \"" + values.get(0) + "\"; allowed: integer " + min + ".." + max);
    }

    /** A request the echo cannot serve; answered with 400 and this message. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
