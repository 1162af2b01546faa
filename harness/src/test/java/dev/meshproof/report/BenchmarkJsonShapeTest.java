package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.Mode;
import dev.meshproof.bench.Synthetic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape of benchmark.json and the other outputs, from a synthetic two-mode benchmark. */
class BenchmarkJsonShapeTest {

    @TempDir
    Path dir;

    private BenchmarkSummary twoModes() {
        Map<Mode, Double> shifts = new LinkedHashMap<>();
        shifts.put(Mode.NO_MESH, 0.0);
        shifts.put(Mode.AMBIENT_L4, 200.0);
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

        JsonNode diffs = root.get("differences");
        assertThat(diffs).hasSize(1);
        assertThat(diffs.get(0).get("from").asText()).isEqualTo("no-mesh");
        assertThat(diffs.get(0).get("to").asText()).isEqualTo("ambient-l4");
        for (String f : new String[]{"p50", "p90", "p99"}) {
            JsonNode d = diffs.get(0).get("deltaMicros").get(f);
            assertThat(d.get("estimate").asDouble()).as("Δ" + f + " near the 200 µs shift").isBetween(120.0, 300.0);
            assertThat(d.get("low").asDouble()).as("Δ" + f + " CI excludes 0").isPositive();
        }
        assertThat(root.get("order")).hasSize(6);
    }

    @Test
    void oneModeHasNoDifferences() throws Exception {
        BenchmarkSummary one = Synthetic.summary(5, 1, Map.of(Mode.NO_MESH, 0.0), dir);
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
        assertThat(md).contains("| Generator check | Lateness P50 (ms) | Lateness P99 (ms) | Service time P50 (ms) | Max JVM hiccup (ms) | GC (count / ms) |")
                .contains("| no-mesh | 0.150 | 0.150 | ").contains("| 1.5 | 9 / 36 |");
        String html = Files.readString(dir.resolve("benchmark.html"));
        assertThat(html).contains("<table>").contains("<td>ambient-l4</td>").contains("latency-percentiles.png");
        BufferedImage png = ImageIO.read(dir.resolve("latency-percentiles.png").toFile());
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(540);
    }
}
