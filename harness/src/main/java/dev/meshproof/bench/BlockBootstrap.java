package dev.meshproof.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A 95 % interval for the difference of a percentile between two modes <em>within one repetition each</em>, from the
 * per-interval histograms of {@code latency.hlog} (one per second). Latency inside a run is autocorrelated (a slow
 * second is followed by slow seconds: GC, neighbours, connection state), so resampling requests one by one would
 * look far more certain than the data allow; the circular block bootstrap (Politis &amp; Romano 1992) resamples
 * blocks of consecutive intervals instead, each mode on its own (the two runs are independent). The interval is the
 * difference of the two runs' percentiles ± t(k − 1) × the bootstrap's standard deviation of it, k being the number
 * of blocks in the shorter run (blocks are what is nearly independent, as in batch means).
 * <p>
 * Block length: twice ({@link #STRETCH}) the Politis &amp; White (2004) automatic rule with Patton, Politis &amp;
 * White's (2009) correction for the circular bootstrap, on the series of per-interval values of the percentile in
 * question ({@link #blockLength}); it grows with the series' autocorrelation and is short for independent intervals.
 * The coverage this reaches on synthetic autocorrelated runs is measured in {@code BlockBootstrapTest} and stated in
 * docs/benchmarks.md: about 90 %, not 95 %, so reports call these intervals within-run intervals and make no 95 %
 * claim from them; p99.9 (about one request per interval above it) gets none ({@link #SUPPORTED}).
 * <p>
 * What it cannot cover: anything that differs between runs but is constant within one (placement, a neighbour for
 * the whole run, JIT luck). Only repetitions measure that ({@link RoundIntervals}).
 */
public final class BlockBootstrap {
    /**
     * The rule's block length is doubled: at 60 intervals the rule's own length (made to estimate a variance with the
     * least mean squared error, not to cover) gave 83–86 % coverage on autocorrelated runs (φ 0.6), twice it 89.5–91.5 %.
     */
    static final double STRETCH = 2;
    /** Resamples per interval. */
    static final int RESAMPLES = 2000;
    /**
     * Fewer one-second intervals than this (a measured window under ~50 s) give no interval: coverage was measured at
     * 60 intervals and falls with fewer (fewer blocks, a noisier block length).
     */
    public static final int MIN_INTERVALS = 50;
    /**
     * The percentiles given a within-run interval; p99.9 has about one request per one-second interval above it at
     * 1000 rps, so its per-interval series (which sets the block length) is mostly noise, and it stays unclear.
     */
    public static final List<String> SUPPORTED = List.of("p50", "p90", "p95", "p99");

    private BlockBootstrap() {
    }

    /**
     * The 95 % intervals of {@code to − from} of each percentile (0-100) in µs, in the order given, or empty when
     * either run has fewer than {@link #MIN_INTERVALS} non-empty intervals. Each estimate is the difference of the two
     * runs' own percentiles.
     */
    public static Optional<List<Interval>> differences(List<Histogram> from, List<Histogram> to, double[] percentiles,
                                                       long seed) {
        return differences(from, to, percentiles, seed, 0, STRETCH, true);
    }

    /**
     * With {@code fixedBlockLength} > 0 instead of the rule, the rule's length multiplied by {@code stretch}, and the
     * bootstrap's 2.5–97.5 % range instead of the t form when {@code t} is false (tests compare the choices).
     */
    static Optional<List<Interval>> differences(List<Histogram> from, List<Histogram> to, double[] percentiles, long seed,
                                               int fixedBlockLength, double stretch, boolean t) {
        Series a = Series.of(from);
        Series b = Series.of(to);
        if (a.intervals() < MIN_INTERVALS || b.intervals() < MIN_INTERVALS) {
            return Optional.empty();
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Interval> out = new ArrayList<>();
        for (double p : percentiles) {
            int la = fixedBlockLength > 0 ? fixedBlockLength : stretched(blockLength(a.perIntervalMicros(p)), stretch, a.intervals());
            int lb = fixedBlockLength > 0 ? fixedBlockLength : stretched(blockLength(b.perIntervalMicros(p)), stretch, b.intervals());
            double[] d = new double[RESAMPLES];
            for (int r = 0; r < RESAMPLES; r++) {
                d[r] = b.percentileMicros(b.resample(lb, random), p) - a.percentileMicros(a.resample(la, random), p);
            }
            double estimate = b.percentileMicros(b.ones(), p) - a.percentileMicros(a.ones(), p);
            if (t) {
                // blocks that are nearly independent: as many degrees of freedom as the shorter run has blocks, less one
                int blocks = Math.max(2, Math.min(a.intervals() / la, b.intervals() / lb));
                double half = StudentT.quantile975(blocks - 1) * standardDeviation(d);
                out.add(new Interval(estimate, estimate - half, estimate + half));
            } else {
                Arrays.sort(d);
                out.add(new Interval(estimate, d[(int) Math.floor(0.025 * (RESAMPLES - 1))], d[(int) Math.ceil(0.975 * (RESAMPLES - 1))]));
            }
        }
        return Optional.of(out);
    }

    private static int stretched(int length, double stretch, int n) {
        return (int) Math.max(1, Math.min(n / 2, Math.round(length * stretch)));
    }

    private static double standardDeviation(double[] d) {
        double mean = Arrays.stream(d).average().orElse(0);
        double s = 0;
        for (double v : d) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / (d.length - 1));
    }

    /**
     * Politis &amp; White (2004) block length for the circular bootstrap (with Patton, Politis &amp; White 2009's
     * correction): b = (2·G² / D)^(1/3) · n^(1/3), D = 4/3 · ĝ(0)², where ĝ(0) and G are flat-top-kernel sums of the
     * autocovariances up to lag 2·m̂, m̂ the first lag after which K_n = max(5, ⌊log10 n⌋) autocorrelations in a row
     * are insignificant (|ρ| &lt; 2·√(log10 n / n)); at most min(3√n, n/3), at least 1.
     */
    static int blockLength(double[] x) {
        int n = x.length;
        double max = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3.0));
        int kn = Math.max(5, (int) Math.log10(n));
        int mMax = Math.min(n - 1, (int) Math.ceil(Math.sqrt(n)) + kn);
        double cv = 2 * Math.sqrt(Math.log10(n) / n);
        double mean = Arrays.stream(x).average().orElse(0);
        double[] acv = new double[mMax + 1];
        for (int k = 0; k <= mMax; k++) {
            double s = 0;
            for (int t = k; t < n; t++) {
                s += (x[t] - mean) * (x[t - k] - mean);
            }
            acv[k] = s / n;
        }
        if (acv[0] <= 0) {
            return 1;
        }
        int mHat = -1;
        int run = 0;
        int lastSignificant = 0;
        for (int k = 1; k <= mMax; k++) {
            boolean small = Math.abs(acv[k] / acv[0]) < cv;
            if (!small) {
                lastSignificant = k;
            }
            run = small ? run + 1 : 0;
            if (run == kn) {
                mHat = k - kn;
                break;
            }
        }
        if (mHat < 0) {
            mHat = lastSignificant;
        }
        int m = Math.min(2 * Math.max(mHat, 1), mMax);
        double g0 = 0;
        double g = 0;
        for (int k = -m; k <= m; k++) {
            double s = Math.abs(k) / (double) m;
            double lambda = s <= 0.5 ? 1 : s <= 1 ? 2 * (1 - s) : 0;
            g0 += lambda * acv[Math.abs(k)];
            g += lambda * Math.abs(k) * acv[Math.abs(k)];
        }
        if (g0 <= 0) {
            return 1;
        }
        double b = Math.cbrt(2 * g * g / (4.0 / 3 * g0 * g0)) * Math.cbrt(n);
        return (int) Math.max(1, Math.min(max, Math.round(b)));
    }

    /**
     * A run's non-empty intervals as cumulative counts over its distinct recorded values ({@code cumulative[value]
     * [interval]}), so the percentile of any weighted merge of intervals is a binary search (no histogram is merged
     * per resample).
     */
    private record Series(long[] values, int[][] cumulative) {
        static Series of(List<Histogram> run) {
            List<Histogram> kept = run.stream().filter(h -> h.getTotalCount() > 0).toList();
            long[] all = new long[kept.stream().mapToInt(h -> countDistinct(h)).sum()];
            int k = 0;
            for (Histogram h : kept) {
                for (HistogramIterationValue v : h.recordedValues()) {
                    all[k++] = v.getValueIteratedTo();
                }
            }
            long[] values = Arrays.stream(all).sorted().distinct().toArray();
            int[][] cumulative = new int[values.length][kept.size()];
            for (int i = 0; i < kept.size(); i++) {
                for (HistogramIterationValue v : kept.get(i).recordedValues()) {
                    cumulative[Arrays.binarySearch(values, v.getValueIteratedTo())][i] += (int) v.getCountAddedInThisIterationStep();
                }
            }
            for (int j = 1; j < values.length; j++) {
                for (int i = 0; i < kept.size(); i++) {
                    cumulative[j][i] += cumulative[j - 1][i];
                }
            }
            return new Series(values, cumulative);
        }

        private static int countDistinct(Histogram h) {
            int n = 0;
            for (HistogramIterationValue ignored : h.recordedValues()) {
                n++;
            }
            return n;
        }

        int intervals() {
            return values.length == 0 ? 0 : cumulative[0].length;
        }

        int[] ones() {
            int[] w = new int[intervals()];
            Arrays.fill(w, 1);
            return w;
        }

        double[] perIntervalMicros(double percentile) {
            double[] out = new double[intervals()];
            for (int i = 0; i < out.length; i++) {
                int[] w = new int[out.length];
                w[i] = 1;
                out[i] = percentileMicros(w, percentile);
            }
            return out;
        }

        /** How often each interval is drawn: ⌈n / l⌉ blocks of l consecutive intervals, wrapping, cut to n. */
        int[] resample(int length, SplittableRandom random) {
            int n = intervals();
            int[] w = new int[n];
            for (int drawn = 0; drawn < n; ) {
                int start = random.nextInt(n);
                for (int k = 0; k < length && drawn < n; k++, drawn++) {
                    w[(start + k) % n]++;
                }
            }
            return w;
        }

        /** The percentile of the weighted merge, as HdrHistogram's getValueAtPercentile computes it, in µs. */
        double percentileMicros(int[] weights, double percentile) {
            int last = values.length - 1;
            long total = count(weights, last);
            long rank = Math.max(1, (long) Math.ceil(Math.nextDown(percentile) / 100.0 * total));
            int lo = 0;
            int hi = last;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (count(weights, mid) >= rank) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return values[lo] / 1000.0;
        }

        private long count(int[] weights, int index) {
            int[] row = cumulative[index];
            long s = 0;
            for (int i = 0; i < row.length; i++) {
                s += (long) weights[i] * row[i];
            }
            return s;
        }
    }

    /** Reads the all-request interval histograms a run logged ({@code LoadRecorder.ALL_REQUESTS_TAG}). */
    public static List<Histogram> allRequestIntervals(java.nio.file.Path latencyLog) {
        List<Histogram> out = new ArrayList<>();
        if (!java.nio.file.Files.isRegularFile(latencyLog)) {
            return out;
        }
        try {
            org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(latencyLog.toFile());
            for (org.HdrHistogram.EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
                if (e instanceof Histogram h && dev.meshproof.agent.load.LoadRecorder.ALL_REQUESTS_TAG.equals(h.getTag())) {
                    out.add(h);
                }
            }
            reader.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + latencyLog, e);
        }
        return out;
    }
}
