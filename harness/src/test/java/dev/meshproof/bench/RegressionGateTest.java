package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The gate's rule on hand-made rounds whose percentiles are known exactly (every request of a round has the same
 * latency), so each case sits where it should relative to the allowed increase: 50 µs on a 1000 µs p50.
 */
class RegressionGateTest {
    private static final GateThresholds P50_50US = new GateThresholds(
            Map.of("p50", new GateThresholds.Limit(50.0, null, null)), Map.of());

    @TempDir
    Path dir;

    private BenchmarkSummary rounds(String name, double... micros) {
        List<Histogram> reps = new ArrayList<>();
        for (double us : micros) {
            reps.add(RoundIntervalsTest.constant(us));
        }
        return Synthetic.summaryOf(Map.of(DataPath.NO_MESH, reps), dir.resolve(name));
    }

    private RegressionGate.Row p50(BenchmarkSummary base, BenchmarkSummary cur) {
        return new RegressionGate().compare(base, cur, P50_50US).get(0);
    }

    @Test
    void anIntervalWhollyAboveTheAllowedIncreaseIsARegression() {
        // per-round differences +100, +110, +90: mean 100, t-interval 100 ± 4.303·10/√3 = [75.2, 124.8], all above 50
        RegressionGate.Row row = p50(rounds("b", 1000, 1000, 1000), rounds("c", 1100, 1110, 1090));
        assertThat(row.ci().low()).as("HdrHistogram's 1 µs steps").isCloseTo(75.2, within(1.0));
        assertThat(row.status()).isEqualTo(RegressionGate.Status.REGRESSION);
        assertThat(RegressionGate.failed(List.of(row))).isTrue();
    }

    @Test
    void anIntervalStraddlingTheAllowedIncreaseIsUnclearNotARegression() {
        // +20, +120, +70: mean 70 (above the 50 µs allowed) but the interval [−54, +194] reaches below it
        RegressionGate.Row row = p50(rounds("b", 1000, 1000, 1000), rounds("c", 1020, 1120, 1070));
        assertThat(row.delta()).isCloseTo(70, within(0.5));
        assertThat(row.ci().low()).isLessThan(50).isGreaterThan(-60);
        assertThat(row.status()).isEqualTo(RegressionGate.Status.UNCLEAR);
        assertThat(RegressionGate.failed(List.of(row))).isFalse();
    }

    @Test
    void fewerThanThreeRoundsAreUnclearEvenForAHugeShift() {
        RegressionGate.Row row = p50(rounds("b", 1000, 1000), rounds("c", 5000, 5010));
        assertThat(row.status()).isEqualTo(RegressionGate.Status.UNCLEAR);
        assertThat(row.note()).contains("2 paired rounds").contains(">= 3");
        RegressionGate.Row same = p50(rounds("b1", 1000), rounds("c1", 1000));
        assertThat(same.status()).as("not even ok: nothing is decided").isEqualTo(RegressionGate.Status.UNCLEAR);
        assertThat(same.ci()).isNull();
    }

    @Test
    void theBaselineAndCurrentShownAreThePooledPercentiles() {
        // one round with a much slower p50: the pooled p50 is the merged histogram's, not the mean of the rounds'
        BenchmarkSummary base = rounds("b", 1000, 1000, 1000);
        BenchmarkSummary cur = rounds("c", 1000, 1000, 4000);
        RegressionGate.Row row = p50(base, cur);
        assertThat(row.current()).as("pooled p50 of 1000, 1000, 4000").isCloseTo(1000, within(1.0));
        assertThat(row.delta()).as("mean per-round difference").isCloseTo(1000, within(2.0));
    }

    private static final GateThresholds ERRORS_01 = new GateThresholds(
            Map.of(GateThresholds.ERROR_RATE, new GateThresholds.Limit(null, null, 0.1)), Map.of());

    /** Three repetitions of {@code requests} requests, {@code errors} of them timeouts. */
    private BenchmarkSummary withErrors(String name, int requests, int errors) {
        List<RepetitionResult> runs = new ArrayList<>();
        for (int rep = 1; rep <= 3; rep++) {
            Histogram ok = new Histogram(3);
            ok.recordValueWithCount(800_000, requests - errors);
            runs.add(new RepetitionResult(DataPath.NO_MESH, rep, rep, Synthetic.loadResult(ok, requests, errors), Map.of(),
                    dir.resolve(name).resolve("rep" + rep), null));
        }
        return new BenchmarkAnalysis().summarise(ProfileLoader.load("smoke").withRepetitions(3),
                BenchmarkSummary.Environment.local(), "synthetic", java.time.Instant.EPOCH, runs, dir.resolve(name));
    }

    @Test
    void theErrorRateFailsOnlyWhenItsIntervalLiesAboveTheAllowance() {
        RegressionGate gate = new RegressionGate();
        // 0.3 % more errors over 30 000 requests a side: the interval lies above the 0.1 points allowed
        RegressionGate.Row clear = gate.compare(withErrors("b1", 10_000, 10), withErrors("c1", 10_000, 40), ERRORS_01).get(0);
        assertThat(clear.ci().low()).isGreaterThan(0.1);
        assertThat(clear.status()).isEqualTo(RegressionGate.Status.REGRESSION);
        // +0.3 points too, but over 300 requests a side (1 error against 0): the point estimate alone would have failed it
        RegressionGate.Row few = gate.compare(withErrors("b2", 100, 0), withErrors("c2", 100, 1), ERRORS_01).get(0);
        assertThat(few.delta()).isGreaterThan(0.1);
        assertThat(few.status()).isEqualTo(RegressionGate.Status.UNCLEAR);
        assertThat(RegressionGate.failed(List.of(few))).isFalse();
    }
}
