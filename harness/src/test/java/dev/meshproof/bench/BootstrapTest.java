package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coverage of the bootstrap intervals on synthetic benchmarks with a known answer: mode B is mode A
 * shifted by exactly {@link #SHIFT_US}, so every true Δ percentile is SHIFT_US. Each repetition gets its own
 * random offset (run-to-run variation), which is what makes few repetitions hard.
 */
class BootstrapTest {
    private static final double SHIFT_US = 150;
    private static final int TRIALS = 120;

    /** One synthetic repetition: lognormal around 800 µs, plus a per-run offset, in ns. */
    private static Histogram repetition(Random random, double shiftUs, int requests) {
        Histogram h = new Histogram(3);
        double runOffsetUs = random.nextGaussian() * 20;
        for (int i = 0; i < requests; i++) {
            double us = 800 * Math.exp(0.35 * random.nextGaussian()) + runOffsetUs + shiftUs;
            h.recordValue(Math.max(1, Math.round(us * 1000)));
        }
        return h;
    }

    private static List<Histogram> mode(Random random, double shiftUs, int repetitions) {
        List<Histogram> reps = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            reps.add(repetition(random, shiftUs, 3000));
        }
        return reps;
    }

    @Test
    void differenceIntervalsCoverTheKnownShiftAndSeparateItFromZero() {
        Random random = new Random(7);
        Bootstrap bootstrap = new Bootstrap(400, 11);
        int coveredP50 = 0;
        int coveredP99 = 0;
        int detected = 0;
        for (int t = 0; t < TRIALS; t++) {
            List<Histogram> a = mode(random, 0, 5);
            List<Histogram> b = mode(random, SHIFT_US, 5);
            Interval d50 = bootstrap.difference(a, b, 50);
            Interval d99 = bootstrap.difference(a, b, 99);
            coveredP50 += d50.contains(SHIFT_US) ? 1 : 0;
            coveredP99 += d99.contains(SHIFT_US) ? 1 : 0;
            detected += d50.low() > 0 ? 1 : 0;
        }
        System.out.printf("bootstrap coverage over %d trials: Δp50 %.3f, Δp99 %.3f; Δp50 > 0 detected %.3f%n",
                TRIALS, coveredP50 / (double) TRIALS, coveredP99 / (double) TRIALS, detected / (double) TRIALS);
        // nominal 95 %; a percentile bootstrap over 5 repetitions is known to run a little narrow
        assertThat(coveredP50 / (double) TRIALS).as("coverage of Δp50").isGreaterThanOrEqualTo(0.85);
        assertThat(coveredP99 / (double) TRIALS).as("coverage of Δp99").isGreaterThanOrEqualTo(0.85);
        assertThat(detected / (double) TRIALS).as("power to see a 150 µs shift").isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void equalModesGiveIntervalsAroundZero() {
        Random random = new Random(3);
        Bootstrap bootstrap = new Bootstrap(400, 5);
        int coveringZero = 0;
        for (int t = 0; t < TRIALS; t++) {
            coveringZero += bootstrap.difference(mode(random, 0, 5), mode(random, 0, 5), 90).contains(0) ? 1 : 0;
        }
        assertThat(coveringZero / (double) TRIALS).as("false-alarm rate stays near 5 %").isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void percentileIntervalBracketsThePooledEstimate() {
        List<Histogram> reps = mode(new Random(1), 0, 3);
        Interval ci = Bootstrap.standard().percentile(reps, 99);
        Histogram pooled = new Histogram(3);
        reps.forEach(pooled::add);
        assertThat(ci.estimate()).isEqualTo(pooled.getValueAtPercentile(99) / 1000.0);
        assertThat(ci.low()).isLessThanOrEqualTo(ci.estimate());
        assertThat(ci.high()).isGreaterThanOrEqualTo(ci.estimate());
        assertThat(ci.high() - ci.low()).as("a real interval, not a point").isGreaterThan(1);
    }

    @Test
    void refusesEmptyRepetitions() {
        assertThatThrownBy(() -> Bootstrap.standard().percentile(List.of(new Histogram(3)), 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one recorded latency");
    }
}
