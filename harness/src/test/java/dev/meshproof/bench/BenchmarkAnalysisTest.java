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
}
