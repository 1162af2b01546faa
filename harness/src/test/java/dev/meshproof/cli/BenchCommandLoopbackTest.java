package dev.meshproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.meshproof.core.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meshproof bench --target} end to end against a loopback server (one short forked load run each). */
class BenchCommandLoopbackTest {

    @TempDir
    Path out;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        Progress.redirect(new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        Progress.redirect(System.err);
        server.stop(0);
    }

    @Test
    void writesEveryOutputAndPrintsProgress() throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        CliRunner r = CliRunner.run("bench", "--target", url, "--rate", "200", "--duration", "4s", "--warmup", "2s",
                "--progress-every", "2s", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();

        for (String f : new String[]{"benchmark.json", "benchmark.md", "benchmark.html", "latency-percentiles.png",
                "runs/no-mesh-rep1/latency.hlog", "runs/no-mesh-rep1/lateness.hlog"}) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        JsonNode json = new ObjectMapper().readTree(out.resolve("benchmark.json").toFile());
        JsonNode mode = json.get("modes").get(0);
        assertThat(mode.get("name").asText()).isEqualTo("no-mesh");
        assertThat(mode.get("requests").asLong()).isCloseTo(800L, org.assertj.core.data.Offset.offset(8L));
        assertThat(mode.get("errors").asLong()).isZero();
        assertThat(mode.get("latencyMicros").get("p50").asDouble()).as("µs on loopback").isBetween(10.0, 20_000.0);
        String gatlingReport = mode.get("repetitions").get(0).get("gatlingReport").asText();
        assertThat(out.resolve(gatlingReport).resolve("index.html")).as("Gatling's own HTML report").exists();
        assertThat(Files.readString(out.resolve(mode.get("repetitions").get(0).get("latencyLog").asText())))
                .contains("#[StartTime:");

        assertThat(r.out()).contains("| no-mesh |").contains("wrote " + out.resolve("benchmark.json"));
        String lines = progress.toString(StandardCharsets.UTF_8);
        assertThat(lines).contains("==> bench no-mesh rep 1/1")
                .containsPattern("\\[no-mesh rep 1/1\\] \\d+s/6s( \\(warm-up\\))? achieved \\d+\\.\\d rps, current p99 (\\d+ µs|-), errors 0");
    }

    @Test
    void aTargetThatRefusesEveryRequestExitsThreeWithTheOutcome() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CliRunner r = CliRunner.run("bench", "--target", "http://127.0.0.1:" + closedPort + "/", "--rate", "50",
                "--duration", "1s", "--warmup", "1s", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("every request of mode no-mesh failed").contains("refused=50");
    }
}
