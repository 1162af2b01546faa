package dev.meshproof.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Optional;

/**
 * 95 % intervals from repetitions treated as what they are: a handful of independent runs. Each repetition gives
 * one value of a percentile (its own histogram's); run-to-run variation (placement, neighbours, JIT) is usually
 * far larger than the sampling noise inside a run and is already in the spread of those values, so a t-interval
 * on them covers both. Differences are <em>paired by round</em>: {@link RunPlan} runs every mode once per round,
 * so round {@code i}'s difference {@code to_i − from_i} shares that round's drift and cancels it; the interval is
 * the t-interval of the per-round differences (R − 1 degrees of freedom).
 * <p>
 * This replaces a two-level bootstrap that resampled each mode's repetitions independently: on synthetic runs with
 * no true difference its 95 % interval excluded 0 in 12 % of trials at R = 3 (nominal 5 %), because resampling 3
 * values cannot show how far a fourth could fall. Measured false-alarm rates of this method are in
 * docs/benchmarks.md ({@code RoundIntervalsTest}).
 * <p>
 * With one repetition there is nothing to estimate run-to-run variation from, so there is no interval at all
 * (empty), rather than one that covers request sampling only and looks more certain than it is.
 */
public final class RoundIntervals {
    private RoundIntervals() {
    }

    /** The percentile (0-100) of one repetition, in µs (histograms in ns). */
    static double percentileMicros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * The 95 % t-interval of a percentile's per-repetition value; the estimate is the mean of the repetitions'
     * values. Empty with fewer than 2 repetitions.
     */
    public static Optional<Interval> perRepetition(List<Histogram> repetitions, double percentile) {
        double[] values = new double[repetitions.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = percentileMicros(repetitions.get(i), percentile);
        }
        return tInterval(values);
    }

    /**
     * The 95 % t-interval of the mean per-round difference {@code to − from} of a percentile, in µs (positive:
     * {@code to} is slower). Repetition {@code i} of each list is round {@code i}; with unequal counts the first
     * {@link #rounds} are paired. Empty with fewer than 2 rounds.
     */
    public static Optional<Interval> pairedDifference(List<Histogram> from, List<Histogram> to, double percentile) {
        double[] d = new double[rounds(from, to)];
        for (int i = 0; i < d.length; i++) {
            d[i] = percentileMicros(to.get(i), percentile) - percentileMicros(from.get(i), percentile);
        }
        return tInterval(d);
    }

    /** The mean per-round difference, defined with one round too (where it has no interval). */
    public static double meanDifference(List<Histogram> from, List<Histogram> to, double percentile) {
        int r = rounds(from, to);
        double sum = 0;
        for (int i = 0; i < r; i++) {
            sum += percentileMicros(to.get(i), percentile) - percentileMicros(from.get(i), percentile);
        }
        return r == 0 ? 0 : sum / r;
    }

    /** How many rounds can be paired. */
    public static int rounds(List<Histogram> from, List<Histogram> to) {
        return Math.min(from.size(), to.size());
    }

    /** mean ± t(0.975, n − 1) · s / √n. */
    static Optional<Interval> tInterval(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Optional.empty();
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double halfWidth = StudentT.quantile975(n - 1) * Math.sqrt(squares / (n - 1) / n);
        return Optional.of(new Interval(mean, mean - halfWidth, mean + halfWidth));
    }
}
