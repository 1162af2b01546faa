package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the summary's numbers are: pooled percentiles of all requests, intervals over repetitions. */
class BenchmarkAnalysisTest {
    @TempDir
    Path dir;

    private static Histogram lognormal(Random random, int n, double medianUs, double sigma) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < n; i++) {
            h.recordValue(Math.round(medianUs * Math.exp(sigma * random.nextGaussian()) * 1000));
        }
        return h;
    }

    @Test
    void thePooledPercentileIsTheMergedHistogramsNotTheMeanOfTheRepetitions() {
        Random random = new Random(5);
        // the third repetition has a far heavier tail: its p99 is several times the others'
        List<Histogram> reps = List.of(lognormal(random, 5000, 800, 0.3), lognormal(random, 5000, 800, 0.3),
                lognormal(random, 5000, 800, 1.2));
        Histogram merged = new Histogram(3);
        reps.forEach(merged::add);
        double meanOfReps = reps.stream().mapToDouble(h -> h.getValueAtPercentile(99) / 1000.0).average().orElseThrow();

        BenchmarkSummary.ModeSummary mode = Synthetic.summaryOf(Map.of(DataPath.NO_MESH, reps), dir).mode("no-mesh");

        assertThat(mode.latencyMicros().p99()).isEqualTo(merged.getValueAtPercentile(99) / 1000.0);
        assertThat(Math.abs(mode.latencyMicros().p99() - meanOfReps)).as("the fixture separates the two").isGreaterThan(500);
        assertThat(mode.ci95().get("p99").estimate()).as("the interval is about the per-repetition value")
                .isCloseTo(meanOfReps, within(0.01));
    }

    @Test
    void oneRepetitionMakesNoNinetyFivePercentClaim() {
        Map<DataPath, List<Histogram>> rounds = new LinkedHashMap<>();
        rounds.put(DataPath.NO_MESH, List.of(lognormal(new Random(1), 2000, 800, 0.3)));
        rounds.put(DataPath.AMBIENT_L4, List.of(lognormal(new Random(2), 2000, 900, 0.3)));
        BenchmarkSummary s = Synthetic.summaryOf(rounds, dir);
        assertThat(s.mode("no-mesh").ci95()).isEmpty();
        assertThat(s.differences()).hasSize(1);
        assertThat(s.differences().get(0).ci95()).isEmpty();
        assertThat(s.differences().get(0).rounds()).isEqualTo(1);
        assertThat(s.differences().get(0).deltaMicros().get("p50")).isCloseTo(100, within(20.0));
    }

    /** Writes a run's latency.hlog as the engine does: untagged success intervals and tagged all-request ones. */
    private static void intervalLog(java.nio.file.Path runDir, Random random, int intervals, double medianUs) throws Exception {
        java.nio.file.Files.createDirectories(runDir);
        org.HdrHistogram.HistogramLogWriter w = new org.HdrHistogram.HistogramLogWriter(runDir.resolve("latency.hlog").toFile());
        w.outputLogFormatVersion();
        w.outputLegend();
        for (int t = 0; t < intervals; t++) {
            Histogram h = lognormal(random, 500, medianUs, 0.3);
            h.setStartTimeStamp(t * 1000L);
            h.setEndTimeStamp(t * 1000L + 1000);
            w.outputIntervalHistogram(h);
            h.setTag(dev.meshproof.agent.load.LoadRecorder.ALL_REQUESTS_TAG);
            w.outputIntervalHistogram(h);
        }
        w.close();
    }

    /** no-mesh around 800 µs and ambient-l4 around 900 µs, one repetition each. */
    private static Map<DataPath, List<Histogram>> oneRoundEach() {
        Map<DataPath, List<Histogram>> rounds = new LinkedHashMap<>();
        rounds.put(DataPath.NO_MESH, List.of(lognormal(new Random(1), 2000, 800, 0.3)));
        rounds.put(DataPath.AMBIENT_L4, List.of(lognormal(new Random(2), 2000, 900, 0.3)));
        return rounds;
    }

    @Test
    void oneLongRepetitionGetsWithinRunIntervalsFromItsIntervalLogButNoNinetyFivePercentClaim() throws Exception {
        Random random = new Random(3);
        Map<DataPath, List<Histogram>> rounds = oneRoundEach();
        intervalLog(dir.resolve("runs/no-mesh-rep1"), random, 60, 800);
        intervalLog(dir.resolve("runs/ambient-l4-rep1"), random, 60, 900);
        BenchmarkSummary s = Synthetic.summaryOf(rounds, dir);
        BenchmarkSummary.Difference d = s.differences().get(0);
        assertThat(d.method()).isEqualTo(BenchmarkSummary.Difference.WITHIN_RUN);
        assertThat(d.ci95()).containsOnlyKeys(BlockBootstrap.SUPPORTED);
        assertThat(d.ci95().get("p50").contains(100)).as("the intervals hold the 100 µs shift: %s", d.ci95().get("p50")).isTrue();
        assertThat(d.ci95().get("p50").excludesZero()).isTrue();
        assertThat(dev.meshproof.report.ReportTables.differenceNote(s)).contains("within run").contains("about 90 %")
                .doesNotContain("supported by the data at the 95 % level");
    }

    @Test
    void aShortRepetitionGetsNoWithinRunInterval() throws Exception {
        Random random = new Random(3);
        Map<DataPath, List<Histogram>> rounds = oneRoundEach();
        intervalLog(dir.resolve("runs/no-mesh-rep1"), random, BlockBootstrap.MIN_INTERVALS - 1, 800);
        intervalLog(dir.resolve("runs/ambient-l4-rep1"), random, 60, 900);
        BenchmarkSummary s = Synthetic.summaryOf(rounds, dir);
        assertThat(s.differences().get(0).ci95()).isEmpty();
        assertThat(s.differences().get(0).method()).isEqualTo(BenchmarkSummary.Difference.PAIRED_ROUNDS);
        assertThat(dev.meshproof.report.ReportTables.differenceNote(s)).contains("no interval is given");
    }
}
