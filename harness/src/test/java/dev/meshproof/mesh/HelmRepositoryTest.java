package dev.meshproof.mesh;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chart fetching from a tiny Helm repository served on 127.0.0.1 (index.yaml + a packaged chart). */
class HelmRepositoryTest {
    @TempDir
    Path tmp;

    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    String repoUrl;
    byte[] archive;

    @BeforeEach
    void serveRepository() throws IOException {
        Path packaged = Files.createDirectories(tmp.resolve("packaged"));
        new Helm(TestCharts.dir().resolve("ztunnel")).packageIt().withDestination(packaged).call();
        archive = Files.readAllBytes(packaged.resolve("ztunnel-1.29.6.tgz"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        repoUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
        files.put("/charts/ztunnel-1.29.6.tgz", archive);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void index(String digest) {
        files.put("/charts/index.yaml", ("""
                apiVersion: v1
                entries:
                  ztunnel:
                  - name: ztunnel
                    version: 1.29.5
                    urls: [ztunnel-1.29.5.tgz]
                    digest: 0000
                  - name: ztunnel
                    version: 1.29.6
                    urls: [ztunnel-1.29.6.tgz]
                    digest: %s
                """).formatted(digest).getBytes());
    }

    @Test
    void fetchesVerifiesAndCachesTheChart() {
        index(Downloads.sha256(write(archive)));
        HelmRepository repo = new HelmRepository(repoUrl, tmp.resolve("cache"));
        Path chart = repo.chart("ztunnel", "1.29.6");
        assertThat(chart).isEqualTo(tmp.resolve("cache/ztunnel-1.29.6.tgz")).hasBinaryContent(archive);
        int afterFirst = requests.get();
        assertThat(afterFirst).isEqualTo(2); // index.yaml, then the archive

        // a second run (new instance) uses the verified cache: no request at all
        assertThat(new HelmRepository(repoUrl, tmp.resolve("cache")).chart("ztunnel", "1.29.6")).isEqualTo(chart);
        assertThat(requests.get()).isEqualTo(afterFirst);
        // and the archive renders
        assertThat(new ChartRenderer(tmp.resolve("v")).render(chart, "ztunnel", "istio-system",
                Map.of("global", Map.of("hub", "h", "tag", "t")), null)).contains("image: \"h/ztunnel:t\"");
    }

    @Test
    void digestMismatchIsRejectedAndNothingIsCached() {
        index("deadbeef".repeat(8));
        HelmRepository repo = new HelmRepository(repoUrl, tmp.resolve("cache"));
        assertThatThrownBy(() -> repo.chart("ztunnel", "1.29.6")).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).contains("chart ztunnel 1.29.6 from " + repoUrl + "/ztunnel-1.29.6.tgz failed verification")
                    .contains("index.yaml says " + "deadbeef".repeat(8));
        });
        assertThat(tmp.resolve("cache/ztunnel-1.29.6.tgz")).doesNotExist();
    }

    @Test
    void unknownVersionIsUsageErrorNamingIndex() {
        index("00");
        assertThatThrownBy(() -> new HelmRepository(repoUrl, tmp.resolve("cache")).chart("ztunnel", "9.9.9"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("chart ztunnel version 9.9.9 is not in " + repoUrl + "/index.yaml");
                });
    }

    @Test
    void unreachableRepositoryIsEnvironmentErrorSuggestingChartsDir() {
        server.stop(0);
        assertThatThrownBy(() -> new HelmRepository(repoUrl, tmp.resolve("cache")).chart("ztunnel", "1.29.6"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).startsWith("cannot fetch chart index from " + repoUrl + "/index.yaml");
                    assertThat(e.hint()).contains("--charts-dir");
                });
    }

    @Test
    void chartsDirectoryNeedsNoNetworkAndNamesWhatIsMissing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("offline"));
        Files.write(dir.resolve("ztunnel-1.29.6.tgz"), archive);
        ChartsDirectory charts = new ChartsDirectory(dir);
        assertThat(charts.chart("ztunnel", "1.29.6")).isEqualTo(dir.resolve("ztunnel-1.29.6.tgz"));
        assertThatThrownBy(() -> charts.chart("istiod", "1.29.6")).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("chart istiod 1.29.6 not found in --charts-dir " + dir + ": expected istiod-1.29.6.tgz or istiod/Chart.yaml");
        });
        assertThat(requests.get()).isZero();
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(tmp.resolve("archive-copy.tgz"), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
