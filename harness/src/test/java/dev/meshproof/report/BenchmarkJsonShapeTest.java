package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.DataPath;
import dev.meshproof.bench.ProxyResources;
import dev.meshproof.bench.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape of benchmark.json and the other outputs, from a synthetic two-mode benchmark. */
class BenchmarkJsonShapeTest {

    @TempDir
    Path dir;

    private BenchmarkSummary twoModes() {
        Map<DataPath, Double> shifts = new LinkedHashMap<>();
        shifts.put(DataPath.NO_MESH, 0.0);
        shifts.put(DataPath.AMBIENT_L4, 200.0);
        return Synthetic.summary(5, 3, shifts, dir);
    }

    @Test
    void benchmarkJsonHasModesWithPercentilesRepetitionsAndConfidenceIntervals() throws Exception {
        BenchmarkReport.write(twoModes(), dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("benchmark.json").toFile());

        assertThat(root.get("modes").isArray()).isTrue();
        assertThat(root.get("modes")).hasSize(2);
        JsonNode mode = root.get("modes").get(0);
        assertThat(mode.get("name").asText()).isEqualTo("no-mesh");
        assertThat(mode.get("requests").asLong()).isEqualTo(12_000);
        assertThat(mode.get("errors").asLong()).isZero();
        assertThat(mode.get("achievedRate").asDouble()).isPositive();
        for (String f : new String[]{"p50", "p90", "p95", "p99", "p999", "max", "mean"}) {
            assertThat(mode.get("latencyMicros").get(f).isNumber()).as("latencyMicros." + f).isTrue();
        }
        double p50 = mode.get("latencyMicros").get("p50").asDouble();
        assertThat(p50).as("µs, around the synthetic 800 µs median").isBetween(700.0, 900.0);
        for (String f : new String[]{"p50", "p90", "p95", "p99", "p999"}) {
            JsonNode ci = mode.get("ci95").get(f);
            assertThat(ci.get("low").asDouble()).as("ci95." + f).isLessThanOrEqualTo(ci.get("estimate").asDouble());
            assertThat(ci.get("high").asDouble()).isGreaterThanOrEqualTo(ci.get("estimate").asDouble());
        }
        assertThat(mode.get("errorsByOutcome").fieldNames()).toIterable()
                .containsExactly("http_error", "refused", "reset", "closed", "timeout", "dns_error", "tls_error", "other");
        JsonNode reps = mode.get("repetitions");
        assertThat(reps).hasSize(3);
        assertThat(reps.get(0).get("repetition").asInt()).isEqualTo(1);
        assertThat(reps.get(0).get("latencyMicros").get("p99").isNumber()).isTrue();
        assertThat(reps.get(0).get("histogram").asText()).isNotEmpty();
        assertThat(reps.get(0).get("placement").get("server").asText()).isEqualTo("node-b");
        assertThat(reps.get(0).get("jvmPauses").get("gcCollections").asLong()).isEqualTo(3);
        JsonNode counts = reps.get(0).get("counts");
        for (String f : new String[]{"planned", "sent", "completed", "unsent", "inFlightAtEnd"}) {
            assertThat(counts.get(f).isNumber()).as("counts." + f).isTrue();
        }
        assertThat(counts.get("planned").asLong()).isEqualTo(4000);
        assertThat(reps.get(0).get("valid").asBoolean()).isTrue();
        assertThat(reps.get(0).get("invalidReasons")).isEmpty();
        assertThat(reps.get(0).get("warmupRebaseMicros").isNumber()).isTrue();
        assertThat(reps.get(0).get("allRequestsHistogram").asText()).isNotEmpty();
        assertThat(reps.get(0).get("sendOffsetMicros").get("earlyPercent").asDouble()).isEqualTo(50.0);
        assertThat(mode.get("allRequestsLatencyMicros").get("p99").isNumber()).isTrue();
        assertThat(mode.get("counts").get("planned").asLong()).isEqualTo(12_000);
        assertThat(mode.get("valid").asBoolean()).isTrue();
        assertThat(root.get("valid").asBoolean()).isTrue();

        JsonNode diffs = root.get("differences");
        assertThat(diffs).hasSize(1);
        assertThat(diffs.get(0).get("from").asText()).isEqualTo("no-mesh");
        assertThat(diffs.get(0).get("to").asText()).isEqualTo("ambient-l4");
        assertThat(diffs.get(0).get("rounds").asInt()).isEqualTo(3);
        for (String f : new String[]{"p50", "p90", "p99"}) {
            assertThat(diffs.get(0).get("deltaMicros").get(f).asDouble()).as("Δ" + f + " near the 200 µs shift").isBetween(120.0, 300.0);
            JsonNode ci = diffs.get(0).get("ci95").get(f);
            assertThat(ci.get("low").asDouble()).as("Δ" + f + " CI excludes 0").isPositive();
        }
        assertThat(root.get("order")).hasSize(6);
    }

    /** Cluster-shaped: no-mesh has no proxy, sidecar measured in every repetition, ambient-l4 never (no metrics API). */
    private BenchmarkSummary withProxyResources() {
        Map<DataPath, Double> shifts = new LinkedHashMap<>();
        shifts.put(DataPath.NO_MESH, 0.0);
        shifts.put(DataPath.SIDECAR, 400.0);
        shifts.put(DataPath.AMBIENT_L4, 200.0);
        return Synthetic.summary(5, 2, shifts, dir, (mode, rep) -> switch (mode) {
            case NO_MESH -> ProxyResources.noProxy();
            case SIDECAR -> ProxyResources.measured(List.of(
                    new ProxyResources.Component("sidecar", "client", "meshproof-bench-sidecar", "client-1", "istio-proxy", "node-a",
                            3, 100.0 * rep, 150.0 * rep, 60.0 + rep, 6000.0 * rep, null),
                    new ProxyResources.Component("sidecar", "server", "meshproof-bench-sidecar", "echo-v1-1", "istio-proxy", "node-a",
                            3, 100.0, 120.0, 55.0, 6000.0, null)), 60_000, 1);
            default -> ProxyResources.notMeasured(ProxyResources.API_UNAVAILABLE, List.of(
                    new ProxyResources.Component("ztunnel", "node node-a", "istio-system", "ztunnel-a", null, "node-a",
                            0, null, null, null, null, null)));
        });
    }

    @Test
    void clusterRunsCarryProxyResourcesPerModeAndRepetition() throws Exception {
        BenchmarkSummary s = withProxyResources();
        BenchmarkReport.write(s, dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("benchmark.json").toFile());

        JsonNode noMesh = root.get("modes").get(0).get("proxyResources");
        assertThat(noMesh.get("status").asText()).isEqualTo("no-proxy");
        assertThat(noMesh.has("cpuMillicoresMean")).isFalse();

        JsonNode sidecar = root.get("modes").get(1).get("proxyResources");
        assertThat(sidecar.get("status").asText()).isEqualTo("measured");
        assertThat(sidecar.get("repetitionsMeasured").asInt()).isEqualTo(2);
        assertThat(sidecar.get("cpuMillicoresMean").asDouble()).as("client (100+200)/2 + server 100").isEqualTo(250.0);
        assertThat(sidecar.get("memoryMiBMax").asDouble()).as("client 62 + server 55").isEqualTo(117.0);
        assertThat(sidecar.get("cpuMsPer1kRequests").asDouble()).as("(18000 + 12000) CPU-ms / 120 000 requests × 1000").isEqualTo(250.0);
        JsonNode client = sidecar.get("components").get(0);
        assertThat(client.get("kind").asText()).isEqualTo("sidecar");
        assertThat(client.get("container").asText()).isEqualTo("istio-proxy");
        assertThat(client.get("samples").asInt()).isEqualTo(6);
        assertThat(client.get("cpuMillicoresMax").asDouble()).isEqualTo(300.0);
        assertThat(root.get("modes").get(1).get("repetitions").get(1).get("proxyResources").get("cpuMillicoresMean").asDouble())
                .isEqualTo(300.0);

        JsonNode ambient = root.get("modes").get(2).get("proxyResources");
        assertThat(ambient.get("status").asText()).isEqualTo("not-measured");
        assertThat(ambient.get("reason").asText()).isEqualTo("metrics API unavailable");
        assertThat(ambient.has("cpuMillicoresMean")).as("no zeros for unknown figures").isFalse();
        assertThat(ambient.get("components").get(0).get("samples").asInt()).isZero();

        assertThat(BenchmarkJson.read(dir.resolve("benchmark.json"))).isEqualTo(s);
    }

    @Test
    void tablesShowProxyColumnsAndSayNotMeasuredInsteadOfZero() throws Exception {
        BenchmarkReport.write(withProxyResources(), dir);
        String md = Files.readString(dir.resolve("benchmark.md"));
        assertThat(md).contains("| Repetitions | Valid | Proxy CPU (millicores, mean) | Proxy memory (MiB, max) |")
                .containsPattern("\\| no-mesh \\|[^\\n]*\\| 2 \\| yes \\| – \\| – \\|\\n")
                .containsPattern("\\| sidecar \\|[^\\n]*\\| 2 \\| yes \\| 250 \\(250\\.0 CPU-ms/1k req\\) \\| 117\\.0 \\|\\n")
                .containsPattern("\\| ambient-l4 \\|[^\\n]*\\| not measured \\(metrics API unavailable\\) \\| not measured \\|\\n");
        assertThat(md).contains("| Proxy | Pod | Samples | CPU mean (mC) | CPU max (mC) | Memory max (MiB) | CPU-ms / 1k requests |")
                .contains("| sidecar: sidecar (client) | meshproof-bench-sidecar/client-1 [istio-proxy] | 6 | 150.0 | 300.0 | 62.0 | 150.0 |")
                .contains("| ambient-l4: ztunnel (node node-a) | istio-system/ztunnel-a | 0 | not measured (metrics API unavailable) | – | – | – |")
                .contains("ztunnel serves everything on its node");
        String html = Files.readString(dir.resolve("benchmark.html"));
        assertThat(html).contains("<th>Proxy CPU (millicores, mean)</th>").contains("<td>not measured (metrics API unavailable)</td>");
    }

    @Test
    void localRunsKeepTheTablesWithoutProxyColumns() throws Exception {
        BenchmarkReport.write(twoModes(), dir);
        String md = Files.readString(dir.resolve("benchmark.md"));
        assertThat(md).contains("| Errors | Repetitions | Valid |\n").doesNotContain("Proxy");
        JsonNode mode = new ObjectMapper().readTree(dir.resolve("benchmark.json").toFile()).get("modes").get(0);
        assertThat(mode.has("proxyResources")).isFalse();
        assertThat(mode.get("repetitions").get(0).has("proxyResources")).isFalse();
    }

    @Test
    void oneModeHasNoDifferences() throws Exception {
        BenchmarkSummary one = Synthetic.summary(5, 1, Map.of(DataPath.NO_MESH, 0.0), dir);
        BenchmarkJson.write(one, dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("benchmark.json").toFile());
        assertThat(root.get("differences")).isEmpty();
        assertThat(BenchmarkJson.read(dir.resolve("benchmark.json"))).isEqualTo(one);
    }

    @Test
    void tablesAndChartAreWritten() throws Exception {
        BenchmarkReport.write(twoModes(), dir);
        String md = Files.readString(dir.resolve("benchmark.md"));
        assertThat(md).contains("| Mode | P50 (ms) [95% CI] | P90 (ms) [95% CI] | P99 (ms) [95% CI] | P99.9 (ms) [95% CI] |")
                .containsPattern("\\| no-mesh \\| 0\\.[78]\\d\\d \\[")
                .containsPattern("\\| ambient-l4 \\| (0\\.9|1\\.0)\\d\\d \\[")
                .containsPattern("ambient-l4 − no-mesh \\| \\+0\\.[12]\\d\\d \\[");
        assertThat(md).contains("| Generator check | Lateness P50 (ms) | Lateness P99 (ms) | Early sends (%, max ms) | Service time P50 (ms) "
                        + "| Unsent / in flight at end | Warm-up rebase (max ms) | Max JVM hiccup (ms) | GC (count / ms) |")
                .contains("| no-mesh | 0.150 | 0.150 | 50.0, 0.400 | ").contains("| 0 / 0 | 0.000 | 1.5 | 9 / 36 |")
                .contains("Pacing granularity").doesNotContain("INVALID");
        String html = Files.readString(dir.resolve("benchmark.html"));
        assertThat(html).contains("<table>").contains("<td>ambient-l4</td>").contains("latency-percentiles.png");
        BufferedImage png = ImageIO.read(dir.resolve("latency-percentiles.png").toFile());
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(540);
    }
}
