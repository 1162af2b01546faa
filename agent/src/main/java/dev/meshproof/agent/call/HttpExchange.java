package dev.meshproof.agent.call;

import dev.meshproof.agent.AgentVersion;
import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.Json;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request and its response over a {@link Connection}. The request is written by hand (it is a few
 * lines); the response is parsed by Netty's HTTP decoder fed with the bytes the socket delivered, so status
 * line, chunking and content length are handled by a well-tested parser while every socket event stays visible.
 */
final class HttpExchange {
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    record Reply(int status, boolean keepAlive, EchoReply echo, String body) {
    }

    private HttpExchange() {
    }

    static byte[] request(CallTarget target, String method, Map<String, String> headers, String body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target.pathAndQuery()).append(" HTTP/1.1\r\n");
        boolean hasHost = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("host"));
        if (!hasHost) {
            sb.append("Host: ").append(target.hostHeader()).append("\r\n");
        }
        boolean hasUserAgent = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("user-agent"));
        if (!hasUserAgent) {
            sb.append("User-Agent: meshproof-agent\r\n");
        }
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 0 || !(method.equals("GET") || method.equals("HEAD"))) {
            sb.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream all = new ByteArrayOutputStream(head.length + payload.length);
        all.writeBytes(head);
        all.writeBytes(payload);
        return all.toByteArray();
    }

    static Reply exchange(Connection connection, byte[] request, boolean head, Deadline deadline) throws IOException {
        connection.write(request);
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return head || super.isContentAlwaysEmpty(msg);
            }
        }, new HttpObjectAggregator(MAX_RESPONSE_BYTES));
        try {
            byte[] buffer = new byte[16 * 1024];
            long received = 0;
            while (true) {
                int n = connection.read(buffer, deadline);
                if (n < 0) {
                    try {
                        decoder.finish(); // a response delimited by the end of the stream completes here
                    } catch (PrematureChannelClosureException cutShort) {
                        throw new PeerClosedException(received); // FIN in the middle of a response
                    }
                    FullHttpResponse last = decoder.readInbound();
                    if (last != null && last.decoderResult().isFailure()) {
                        last.release(); // the decoder's "premature closure": the body was cut short by the FIN
                        throw new PeerClosedException(received);
                    }
                    if (last != null) {
                        return toReply(last, false);
                    }
                    throw new PeerClosedException(received);
                }
                received += n;
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                FullHttpResponse response = decoder.readInbound();
                if (response != null) {
                    return toReply(response, true);
                }
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    private static Reply toReply(FullHttpResponse response, boolean streamOpen) throws IOException {
        try {
            if (response.decoderResult().isFailure()) {
                throw new IOException("malformed HTTP response", response.decoderResult().cause());
            }
            int status = response.status().code();
            boolean keepAlive = streamOpen && HttpUtil.isKeepAlive(response);
            byte[] content = ByteBufUtil.getBytes(response.content());
            if (content.length > 0 && response.headers().contains(AgentVersion.HEADER) && isJson(response)) {
                EchoReply echo = Json.MAPPER.readValue(content, EchoReply.class);
                return new Reply(status, keepAlive, withoutPadding(echo), null);
            }
            String text = new String(content, StandardCharsets.UTF_8);
            return new Reply(status, keepAlive, null, text.isEmpty() ? null
                    : text.length() > CallResult.BODY_LIMIT ? text.substring(0, CallResult.BODY_LIMIT) : text);
        } catch (DecoderException e) {
            throw new IOException("malformed HTTP response", e);
        } finally {
            response.release();
        }
    }

    private static boolean isJson(FullHttpResponse response) {
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.startsWith("application/json");
    }

    private static EchoReply withoutPadding(EchoReply e) {
        return e.padding() == null ? e : new EchoReply(e.method(), e.path(), e.query(), e.protocol(), e.headers(),
                e.pod(), e.namespace(), e.serviceAccount(), e.version(), e.peerAddress(), e.peerPort(), null);
    }
}
