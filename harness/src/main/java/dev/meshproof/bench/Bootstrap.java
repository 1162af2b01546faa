package dev.meshproof.bench;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Bootstrap 95 % confidence intervals for latency percentiles and for differences of percentiles
 * between two modes, from per-repetition histograms.
 * <p>
 * Two levels, because run-to-run variation (pod placement, noisy neighbours, JIT) is usually larger than
 * the sampling noise within a run: each bootstrap replicate draws the repetitions with replacement and
 * pools them, then draws the percentile of a resample of that pool. The second draw uses the order-statistic
 * result: the q-quantile of n values resampled from an empirical distribution is that distribution's quantile
 * at a Beta(qn, (1-q)n+1) position, approximated here by a normal with mean q and variance q(1-q)/n (n is in
 * the thousands). With one repetition only the second level varies, so the interval then covers request
 * sampling but not run-to-run variation (the report says how many repetitions there were).
 * The interval is the 2.5th-97.5th percentile of the replicates (percentile bootstrap), after widening the
 * replicates' spread around the estimate by sqrt(R/(R-1)) for R repetitions: resampling R runs underestimates
 * their variance by the factor (R-1)/R, which matters at the 3-5 repetitions a cluster run affords.
 */
public final class Bootstrap {
    public static final int DEFAULT_ITERATIONS = 2000;
    private final int iterations;
    private final long seed;

    public Bootstrap(int iterations, long seed) {
        if (iterations < 100) {
            throw new IllegalArgumentException("bootstrap needs at least 100 iterations, got " + iterations);
        }
        this.iterations = iterations;
        this.seed = seed;
    }

    public static Bootstrap standard() {
        return new Bootstrap(DEFAULT_ITERATIONS, 20260101L);
    }

    /** CI of the percentile (0-100) of the pooled repetitions, in µs (histograms in ns). */
    public Interval percentile(List<Histogram> repetitions, double percentile) {
        Pool pool = new Pool(repetitions);
        Random random = new Random(seed);
        double[] replicates = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            replicates[i] = pool.replicate(percentile, random);
        }
        return interval(pool.pooled(percentile), replicates, inflation(repetitions.size()));
    }

    /** CI of {@code percentile(to) - percentile(from)}, in µs: positive means {@code to} is slower. */
    public Interval difference(List<Histogram> from, List<Histogram> to, double percentile) {
        Pool a = new Pool(from);
        Pool b = new Pool(to);
        Random random = new Random(seed);
        double[] replicates = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            replicates[i] = b.replicate(percentile, random) - a.replicate(percentile, random);
        }
        return interval(b.pooled(percentile) - a.pooled(percentile), replicates,
                inflation(Math.min(from.size(), to.size())));
    }

    private static double inflation(int repetitions) {
        return repetitions > 1 ? Math.sqrt(repetitions / (repetitions - 1.0)) : 1.0;
    }

    private static Interval interval(double estimate, double[] replicates, double inflation) {
        for (int i = 0; i < replicates.length; i++) {
            replicates[i] = estimate + (replicates[i] - estimate) * inflation;
        }
        Arrays.sort(replicates);
        return new Interval(estimate, quantile(replicates, 0.025), quantile(replicates, 0.975));
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The repetitions of one mode, with the pooled histograms of resampled repetition sets cached. */
    private static final class Pool {
        private final List<Histogram> repetitions;
        private final Map<String, Histogram> merged = new HashMap<>();
        private final Histogram all;

        Pool(List<Histogram> repetitions) {
            if (repetitions.isEmpty() || repetitions.stream().anyMatch(h -> h.getTotalCount() == 0)) {
                throw new IllegalArgumentException("every repetition needs at least one recorded latency");
            }
            this.repetitions = List.copyOf(repetitions);
            this.all = merge(java.util.stream.IntStream.range(0, repetitions.size()).toArray());
        }

        double pooled(double percentile) {
            return all.getValueAtPercentile(percentile) / 1000.0;
        }

        double replicate(double percentile, Random random) {
            int r = repetitions.size();
            int[] pick = new int[r];
            for (int i = 0; i < r; i++) {
                pick[i] = random.nextInt(r);
            }
            Arrays.sort(pick);
            Histogram h = merged.computeIfAbsent(Arrays.toString(pick), k -> merge(pick));
            double q = percentile / 100.0;
            double n = h.getTotalCount();
            double u = q + random.nextGaussian() * Math.sqrt(q * (1 - q) / n);
            u = Math.min(1.0, Math.max(0.0, u));
            return h.getValueAtPercentile(u * 100.0) / 1000.0;
        }

        private Histogram merge(int[] pick) {
            Histogram h = new Histogram(3);
            for (int i : pick) {
                h.add(repetitions.get(i));
            }
            return h;
        }
    }
}
