package dev.meshproof.bench;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The difference interval Meshproof used before paired rounds, kept as a negative control: a two-level bootstrap
 * that resamples each mode's repetitions <em>independently</em> (with replacement, pooled, then the pooled
 * percentile drawn through its order-statistic distribution), 2.5th-97.5th percentile of the replicates, their
 * spread widened by sqrt(R/(R-1)). {@link RoundIntervalsTest} shows its false-alarm rate is well above 5 % at
 * 3 repetitions, so the test that accepts {@link RoundIntervals} would reject it.
 */
final class IndependentResampling {
    private final int iterations;
    private final long seed;

    IndependentResampling(int iterations, long seed) {
        this.iterations = iterations;
        this.seed = seed;
    }

    /** CI of {@code percentile(to) - percentile(from)} of the pooled repetitions, in µs. */
    Interval difference(List<Histogram> from, List<Histogram> to, double percentile) {
        Pool a = new Pool(from);
        Pool b = new Pool(to);
        Random random = new Random(seed);
        double[] replicates = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            replicates[i] = b.replicate(percentile, random) - a.replicate(percentile, random);
        }
        double estimate = b.pooled(percentile) - a.pooled(percentile);
        int r = Math.min(from.size(), to.size());
        double inflation = r > 1 ? Math.sqrt(r / (r - 1.0)) : 1.0;
        for (int i = 0; i < replicates.length; i++) {
            replicates[i] = estimate + (replicates[i] - estimate) * inflation;
        }
        Arrays.sort(replicates);
        return new Interval(estimate, replicates[(int) (0.025 * (iterations - 1))], replicates[(int) Math.ceil(0.975 * (iterations - 1))]);
    }

    private static final class Pool {
        private final List<Histogram> repetitions;
        private final Map<String, Histogram> merged = new HashMap<>();
        private final Histogram all;

        Pool(List<Histogram> repetitions) {
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
            double u = q + random.nextGaussian() * Math.sqrt(q * (1 - q) / h.getTotalCount());
            return h.getValueAtPercentile(Math.min(1.0, Math.max(0.0, u)) * 100.0) / 1000.0;
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
