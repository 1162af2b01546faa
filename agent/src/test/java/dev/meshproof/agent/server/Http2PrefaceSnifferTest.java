package dev.meshproof.agent.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One look per connection: the HTTP/2 preface, even when it arrives a byte at a time, or HTTP/1.1 as soon as a byte differs. */
class Http2PrefaceSnifferTest {
    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    /** Stands in for a protocol's handlers: keeps every byte that reaches it. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(buf));
            buf.release();
        }

        String text() {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    private final Sink http1 = new Sink();
    private final Sink http2 = new Sink();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new Http2PrefaceSniffer(() -> new ChannelHandler[]{http1}, () -> new ChannelHandler[]{http2}));

    private void send(String text, int chunk) throws Exception {
        for (int i = 0; i < text.length(); i += chunk) {
            channel.writeInbound(Unpooled.copiedBuffer(text.substring(i, Math.min(text.length(), i + chunk)), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void anHttp1RequestStartingWithPGoesToHttp1AtItsSecondByte() throws Exception {
        send("P", 1);
        assertThat(channel.pipeline().get(Http2PrefaceSniffer.class)).as("'P' alone could still be the preface").isNotNull();
        send("OST /v1/traces HTTP/1.1\r\n\r\n", 1);
        assertThat(channel.pipeline().get(Http2PrefaceSniffer.class)).isNull();
        assertThat(http1.text()).isEqualTo("POST /v1/traces HTTP/1.1\r\n\r\n");
        assertThat(http2.text()).isEmpty();
    }

    @Test
    void anHttp1RequestIsDecidedOnItsFirstByte() throws Exception {
        send("GET /echo HTTP/1.1\r\n\r\n", 64);
        assertThat(channel.pipeline().get(Http2PrefaceSniffer.class)).isNull();
        assertThat(http1.text()).isEqualTo("GET /echo HTTP/1.1\r\n\r\n");
    }

    @Test
    void thePrefaceByteByByteGoesToHttp2WithEverythingAfterIt() throws Exception {
        send(PREFACE + "frames", 1);
        assertThat(channel.pipeline().get(Http2PrefaceSniffer.class)).isNull();
        assertThat(http2.text()).isEqualTo(PREFACE + "frames");
        assertThat(http1.text()).isEmpty();
    }
}
