package dev.meshproof.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.DataPath;
import dev.meshproof.bench.Synthetic;
import dev.meshproof.report.BenchmarkJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The regression gate on synthetic benchmarks with known shifts (5 repetitions, as a nightly would run). */
class BenchCompareCommandTest {

    @TempDir
    Path dir;

    private Path thresholds() throws Exception {
        Path gates = dir.resolve("gates.yaml");
        Files.writeString(gates, """
                defaults:
                  p50: {maxIncreaseMicros: 50, maxIncreasePercent: 5}
                  p99: {maxIncreaseMicros: 150}
                  errorRate: {maxIncreasePoints: 0.1}
                """);
        return gates;
    }

    private Path benchmark(String name, long seed, double noMeshShift, double ambientShift) {
        return benchmark(name, seed, noMeshShift, ambientShift, 5);
    }

    private Path benchmark(String name, long seed, double noMeshShift, double ambientShift, int repetitions) {
        Map<DataPath, Double> shifts = new LinkedHashMap<>();
        shifts.put(DataPath.NO_MESH, noMeshShift);
        shifts.put(DataPath.AMBIENT_L4, ambientShift);
        Path d = dir.resolve(name);
        BenchmarkSummary s = Synthetic.summary(seed, repetitions, shifts, d);
        return BenchmarkJson.write(s, d);
    }

    /** Rewrites a benchmark.json with {@code change} applied to its root. */
    private static void edit(Path file, java.util.function.Consumer<ObjectNode> change) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        change.accept(root);
        json.writeValue(file.toFile(), root);
    }

    @Test
    void aSupportedRegressionBeyondTheThresholdExitsOne() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Path cur = benchmark("cur", 2, 0, 600); // ambient-l4 got 400 µs slower at every percentile
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), cur.toString(), "--thresholds", thresholds().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ambient-l4\\s+p50 .* REGRESSION")
                .containsPattern("ambient-l4\\s+p99 .* REGRESSION")
                .containsPattern("no-mesh\\s+p50 .* ok")
                .contains("verdict: REGRESSION");
    }

    @Test
    void fewerThanThreeRepetitionsCannotSupportARegressionHoweverLargeTheShift() throws Exception {
        for (int reps = 1; reps <= 2; reps++) {
            Path base = benchmark("base" + reps, 1, 0, 200, reps);
            Path cur = benchmark("cur" + reps, 2, 0, 1200, reps);
            CliRunner r = CliRunner.run("bench", "compare", base.toString(), cur.toString(), "--thresholds", thresholds().toString());
            assertThat(r.exitCode()).as(r.out()).isZero();
            assertThat(r.out()).containsPattern("ambient-l4\\s+p50 .* unclear \\(" + reps + " paired rounds?: the gate needs repetitions >= 3")
                    .doesNotContain("REGRESSION").contains("verdict: unclear");
        }
        assertThat(CliRunner.run("bench", "compare", dir.resolve("base1/benchmark.json").toString(),
                dir.resolve("cur1/benchmark.json").toString(), "--thresholds", thresholds().toString()).out())
                .as("one run has no interval at all").contains("[no interval]");
    }

    @Test
    void noChangeAndChangesWithinTheThresholdExitZero() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Path same = benchmark("same", 3, 0, 200);
        Path small = benchmark("small", 4, 0, 220); // +20 µs: real, but under the 50 µs allowance
        Path gates = thresholds();
        CliRunner r1 = CliRunner.run("bench", "compare", base.toString(), same.toString(), "--thresholds", gates.toString());
        assertThat(r1.exitCode()).as(r1.out()).isZero();
        assertThat(r1.out()).contains("verdict: ok").doesNotContain("REGRESSION");
        CliRunner r2 = CliRunner.run("bench", "compare", base.toString(), small.toString(), "--thresholds", gates.toString());
        assertThat(r2.exitCode()).as(r2.out()).isZero();
    }

    @Test
    void aModeThatStoppedBeingMeasuredFailsTheGate() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Map<DataPath, Double> onlyNoMesh = new LinkedHashMap<>();
        onlyNoMesh.put(DataPath.NO_MESH, 0.0);
        Path d = dir.resolve("partial");
        Path cur = BenchmarkJson.write(Synthetic.summary(3, 5, onlyNoMesh, d), d);
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), cur.toString(), "--thresholds", thresholds().toString());
        assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("ambient-l4\\s+- .* MISSING \\(mode missing in current\\)");
        // the reverse (a new mode, absent from the baseline) is only reported
        CliRunner reverse = CliRunner.run("bench", "compare", cur.toString(), base.toString(), "--thresholds", thresholds().toString());
        assertThat(reverse.exitCode()).as(reverse.out()).isZero();
        assertThat(reverse.out()).contains("not compared (mode missing in baseline)");
    }

    @Test
    void anImprovementIsReportedAndPasses() throws Exception {
        Path base = benchmark("base", 1, 0, 600);
        Path faster = benchmark("faster", 5, 0, 200);
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), faster.toString(), "--thresholds", thresholds().toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("ambient-l4\\s+p50 .* improved");
    }

    @Test
    void aDifferentProfileOrEnvironmentExitsTwoNamingEachDifference() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Path cur = benchmark("cur", 2, 0, 200);
        edit(cur, root -> {
            ((ObjectNode) root.get("profile")).put("rate", 500.0).put("connections", 8);
            ((ObjectNode) root.get("environment")).put("istioVersion", "1.25.0");
        });
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), cur.toString(), "--thresholds", thresholds().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("are not comparable: profile.rate: 200.0 (baseline) vs 500.0 (current); "
                + "profile.connections: 4 (baseline) vs 8 (current); environment.istioVersion: none (baseline) vs 1.25.0 (current)");
        assertThat(r.out()).doesNotContain("verdict");
    }

    @Test
    void theGeneratorsHealthIsShownBesideTheVerdict() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), benchmark("same", 3, 0, 200).toString(),
                "--thresholds", thresholds().toString());
        assertThat(r.out()).contains("generator no-mesh     lateness p99 150 -> 150 µs, largest JVM hiccup 1.5 -> 1.5 ms");
    }

    @Test
    void anInvalidBenchmarkIsRefusedNotJudged() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Path cur = benchmark("cur", 2, 0, 200);
        edit(cur, root -> {
            root.put("valid", false);
            root.putArray("invalidReasons").add("ambient-l4 rep 2: 40 of 4000 planned arrivals never sent");
        });
        CliRunner r = CliRunner.run("bench", "compare", base.toString(), cur.toString(), "--thresholds", thresholds().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("error: " + cur + ": benchmark invalid, a gate cannot judge it: "
                + "ambient-l4 rep 2: 40 of 4000 planned arrivals never sent");
        assertThat(r.out()).doesNotContain("verdict");
    }

    @Test
    void badInputsExitTwoNamingTheFile() throws Exception {
        Path base = benchmark("base", 1, 0, 200);
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"hello\": 1}");
        CliRunner notBench = CliRunner.run("bench", "compare", base.toString(), junk.toString(), "--thresholds", thresholds().toString());
        assertThat(notBench.exitCode()).isEqualTo(2);
        assertThat(notBench.err()).contains("error: " + junk + ": field 'tool'/'modes': not a Meshproof benchmark.json");

        Path gates = dir.resolve("bad-gates.yaml");
        Files.writeString(gates, "defaults:\n  p42: {maxIncreaseMicros: 5}\n");
        CliRunner badGates = CliRunner.run("bench", "compare", base.toString(), base.toString(), "--thresholds", gates.toString());
        assertThat(badGates.exitCode()).isEqualTo(2);
        assertThat(badGates.err()).contains("error: " + gates + ": field 'defaults.p42': unknown metric");

        CliRunner missing = CliRunner.run("bench", "compare", base.toString(), dir.resolve("nope.json").toString(),
                "--thresholds", thresholds().toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json: no such file");
    }

    @Test
    void helpExplainsTheGateWithoutFormattingWarnings() {
        CliRunner r = CliRunner.run("bench", "compare", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("95% CI of current - baseline").contains("--thresholds=FILE");
        assertThat(r.err()).doesNotContain("WARN");
    }

    @Test
    void theShippedGatesFileIsValid() {
        Path gates = Path.of(System.getProperty("meshproof.repo.root", "..")).resolve("ci/gates.yaml");
        assertThat(dev.meshproof.bench.GateThresholds.load(gates).forMode("ambient-l7")).containsKeys("p50", "p90", "p99", "errorRate");
    }
}
