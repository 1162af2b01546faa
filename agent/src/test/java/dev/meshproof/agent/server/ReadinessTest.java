package dev.meshproof.agent.server;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.call.Caller;
import dev.meshproof.agent.otlp.OtlpReceiver;
import dev.meshproof.agent.otlp.SpanStore;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /readyz} follows the server's ready flag (false from the moment {@link AgentServer#close()} starts); {@code /healthz} does not. */
class ReadinessTest {
    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private FullHttpResponse get(AtomicBoolean ready, String path) {
        ServerStats stats = new ServerStats();
        EmbeddedChannel channel = new EmbeddedChannel(new AgentHttpHandler(
                new EchoResponder(new AgentIdentity("p", "n", "s", "v"), stats), new Caller(threads),
                new OtlpReceiver(new SpanStore(1)), threads, stats, ready));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
        FullHttpResponse response = channel.readOutbound();
        channel.finishAndReleaseAll();
        return response;
    }

    @Test
    void readyWhileServing() {
        FullHttpResponse r = get(new AtomicBoolean(true), "/readyz");
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("ready\n");
        r.release();
    }

    @Test
    void notReadyWhileShuttingDownButStillHealthy() {
        FullHttpResponse r = get(new AtomicBoolean(false), "/readyz");
        assertThat(r.status().code()).isEqualTo(503);
        assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("shutting down\n");
        r.release();
        FullHttpResponse h = get(new AtomicBoolean(false), "/healthz");
        assertThat(h.status().code()).isEqualTo(200);
        h.release();
    }
}
