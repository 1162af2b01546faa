package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The within-run block bootstrap measured on synthetic runs whose truth is known (seeded, so the figures in
 * docs/benchmarks.md are reproducible). A run is {@value #INTERVALS} one-second intervals of {@value #PER_INTERVAL}
 * requests (1000 rps for 60 s); each interval's latencies are 800 µs × exp(L_t) × lognormal(σ 0.35), where the
 * level L_t is an AR(1) series (φ {@value #PHI}, stationary sd {@value #LEVEL_SD}): slow seconds follow slow seconds.
 * The stationary latency is then lognormal with σ = √(0.35² + sd²), so every percentile, and the difference made by
 * scaling one mode, is known in closed form.
 */
class BlockBootstrapTest {
    private static final int INTERVALS = 60;
    private static final int PER_INTERVAL = 1000;
    private static final double PHI = 0.6;
    private static final double LEVEL_SD = 0.1;
    private static final double SIGMA = 0.35;
    /** Standard lognormal multipliers, sampled with replacement: much faster than a Math.exp per request. */
    private static final double[] SHAPE = shape(new Random(42), 1 << 20);

    private static double[] shape(Random random, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.exp(SIGMA * random.nextGaussian());
        }
        return s;
    }

    private static final int TRIALS = Integer.getInteger("bootstrap.trials", 100);

    /** One run of a mode whose latencies are {@code scale} × the reference's, in ns. */
    private static List<Histogram> run(Random random, double scale, double phi, int intervals) {
        List<Histogram> out = new ArrayList<>();
        double level = random.nextGaussian() * LEVEL_SD;
        for (int t = 0; t < intervals; t++) {
            level = phi * level + Math.sqrt(1 - phi * phi) * LEVEL_SD * random.nextGaussian();
            Histogram h = new Histogram(3);
            double base = 800_000 * scale * Math.exp(level);
            for (int i = 0; i < PER_INTERVAL; i++) {
                h.recordValue(Math.round(base * SHAPE[random.nextInt(SHAPE.length)]));
            }
            out.add(h);
        }
        return out;
    }

    /** The stationary percentile in µs of the reference mode. */
    private static double truePercentile(double percentile) {
        return 800 * Math.exp(z(percentile / 100) * Math.sqrt(SIGMA * SIGMA + LEVEL_SD * LEVEL_SD));
    }

    /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
    private static double z(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        if (p > 0.02425 && p < 0.97575) {
            double q = p - 0.5;
            double r = q * q;
            return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        double q = Math.sqrt(-2 * Math.log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /** Share of trials whose interval holds the true difference, per percentile. */
    private static double[] coverage(double scale, double phi, int intervals, int fixedBlock, double stretch, boolean tForm, int trials, long seed) {
        return coverage(scale, phi, intervals, fixedBlock, stretch, tForm, trials, seed, PERCENTILES);
    }

    private static double[] coverage(double scale, double phi, int intervals, int fixedBlock, double stretch, boolean tForm,
                                     int trials, long seed, double[] percentiles) {
        Random random = new Random(seed);
        int[] covered = new int[percentiles.length];
        for (int t = 0; t < trials; t++) {
            List<Histogram> from = run(random, 1, phi, intervals);
            List<Histogram> to = run(random, scale, phi, intervals);
            List<Interval> ci = BlockBootstrap.differences(from, to, percentiles, t, fixedBlock, stretch, tForm).orElseThrow();
            for (int i = 0; i < percentiles.length; i++) {
                covered[i] += ci.get(i).contains((scale - 1) * truePercentile(percentiles[i])) ? 1 : 0;
            }
        }
        double[] rates = new double[percentiles.length];
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "block bootstrap %s %s, φ %.1f, %d intervals, scale %.2f, %d trials:",
                fixedBlock > 0 ? "block " + fixedBlock : "rule×" + stretch, tForm ? "t" : "pct", phi, intervals, scale, trials));
        for (int i = 0; i < percentiles.length; i++) {
            rates[i] = covered[i] / (double) trials;
            line.append(String.format(Locale.ROOT, " p%s %.1f %%", percentiles[i], 100 * rates[i]));
        }
        System.out.println(line);
        return rates;
    }

    /**
     * The figures in docs/benchmarks.md: {@code -Dbootstrap.measure=true -Dbootstrap.trials=200} prints the coverage
     * of each variant at φ 0, 0.6 and 0.8 (about 10 minutes on a busy 2-core machine).
     */
    @Test
    void measure() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("bootstrap.measure"), "measurement run only");
        for (double phi : new double[]{0, 0.6, 0.8}) {
            coverage(1, phi, INTERVALS, 0, 1, false, TRIALS, 1);
            coverage(1, phi, INTERVALS, 0, BlockBootstrap.STRETCH, true, TRIALS, 1);
            coverage(1, phi, INTERVALS, 1, 1, false, TRIALS, 1);
        }
        coverage(1.1, 0.6, INTERVALS, 0, BlockBootstrap.STRETCH, true, TRIALS, 2);
    }

    /**
     * On autocorrelated runs, resampling single intervals (what an i.i.d. bootstrap of requests amounts to, and
     * narrower still) misses the truth far more often than the block rule: a method that ignores the dependence
     * cannot pass. Seeded; 30 trials keep it to a few seconds, so the bounds are wide (the measured figures are in
     * the docs).
     */
    @Test
    void blocksHoldTheTrueDifferenceWhereSingleIntervalsDoNot() {
        double[] p50p99 = {50, 99};
        double[] rule = coverage(1.1, PHI, INTERVALS, 0, BlockBootstrap.STRETCH, true, 30, 11, p50p99);
        double[] single = coverage(1.1, PHI, INTERVALS, 1, 1, false, 30, 11, p50p99);
        assertThat(rule[0]).as("p50, block rule").isGreaterThanOrEqualTo(0.8);
        assertThat(rule[1]).as("p99, block rule").isGreaterThanOrEqualTo(0.8);
        assertThat(single[0]).as("p50, single intervals").isLessThan(rule[0] - 0.1);
    }

    @Test
    void theEstimateIsTheMergedHistogramsPercentile() {
        Random random = new Random(7);
        List<Histogram> from = run(random, 1, PHI, INTERVALS);
        List<Histogram> to = run(random, 1.2, PHI, INTERVALS);
        Histogram a = new Histogram(3);
        from.forEach(a::add);
        Histogram b = new Histogram(3);
        to.forEach(b::add);
        List<Interval> ci = BlockBootstrap.differences(from, to, PERCENTILES, 1).orElseThrow();
        for (int i = 0; i < PERCENTILES.length; i++) {
            assertThat(ci.get(i).estimate())
                    .isCloseTo((b.getValueAtPercentile(PERCENTILES[i]) - a.getValueAtPercentile(PERCENTILES[i])) / 1000.0, within(1e-6));
            assertThat(ci.get(i).low()).isLessThan(ci.get(i).estimate());
            assertThat(ci.get(i).high()).isGreaterThan(ci.get(i).estimate());
        }
    }

    @Test
    void theBlockLengthGrowsWithAutocorrelation() {
        Random random = new Random(9);
        double[] independent = new double[60];
        double[] dependent = new double[60];
        double level = 0;
        for (int t = 0; t < 60; t++) {
            independent[t] = random.nextGaussian();
            level = 0.8 * level + random.nextGaussian();
            dependent[t] = level;
        }
        assertThat(BlockBootstrap.blockLength(independent)).isLessThanOrEqualTo(2);
        assertThat(BlockBootstrap.blockLength(dependent)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aShortRunGetsNoInterval() {
        Random random = new Random(7);
        assertThat(BlockBootstrap.differences(run(random, 1, PHI, BlockBootstrap.MIN_INTERVALS - 1),
                run(random, 1, PHI, INTERVALS), PERCENTILES, 1)).isEmpty();
    }
}
