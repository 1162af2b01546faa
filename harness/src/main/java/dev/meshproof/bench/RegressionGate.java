package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a current benchmark with a baseline, mode by mode. A latency metric is a {@link Status#REGRESSION}
 * only when the whole 95 % interval of (current − baseline) lies above the allowed increase, i.e. the data
 * support a regression beyond the threshold; a point estimate above it with an interval reaching below is
 * {@link Status#UNCLEAR} and does not fail the gate. Latencies are of all requests, failed ones at their time to
 * failure, so errors count in the latency gate as well as in the error rate. The interval is the t-interval of the per-round differences of
 * each repetition's percentile ({@link RoundIntervals}; round {@code i} of the baseline against round {@code i} of
 * the current run). It needs at least {@value #MIN_REPETITIONS} rounds on each side: with fewer, every latency
 * metric is UNCLEAR (neither pass nor fail) whatever the numbers say. Error rates are compared in percentage points
 * with a score interval on the pooled counts ({@link ErrorRateInterval}), by the same rule. A mode the baseline has but the current run lacks is {@link Status#MISSING} and fails the
 * gate: a nightly job must not stay green because a mode stopped being measured.
 */
public final class RegressionGate {
    /**
     * Paired rounds needed before the gate passes or fails a latency: with 2, the t-interval has one degree of
     * freedom (12.7 standard errors wide) and a one-night spread decides; 3 is the least that is both valid and
     * useful (docs/benchmarks.md gives the measured false-alarm rates and power).
     */
    public static final int MIN_REPETITIONS = 3;

    public RegressionGate() {
    }

    public enum Status {
        OK("ok"), IMPROVED("improved"), UNCLEAR("unclear"), REGRESSION("REGRESSION"), MISSING("MISSING"), NOT_COMPARED("not compared");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One gated metric of one mode; latencies in µs (baseline and current pooled over their repetitions), error rates
     * in percent.
     *
     * @param delta the mean per-round difference (µs), or the error rate's difference (points)
     * @param ci    its 95 % interval (for error rates in points); null for a latency with fewer than 2 rounds, and for an error rate without requests
     */
    public record Row(String mode, String metric, double baseline, double current, double delta, Interval ci,
                      double allowed, Status status, String note) {
    }

    public List<Row> compare(BenchmarkSummary baseline, BenchmarkSummary current, GateThresholds thresholds) {
        List<Row> rows = new ArrayList<>();
        for (BenchmarkSummary.ModeSummary base : baseline.modes()) {
            BenchmarkSummary.ModeSummary cur = current.mode(base.name());
            Map<String, GateThresholds.Limit> limits = thresholds.forMode(base.name());
            if (cur == null) {
                rows.add(new Row(base.name(), "-", 0, 0, 0, null, 0, Status.MISSING, "mode missing in current"));
                continue;
            }
            List<Histogram> b = histograms(base);
            List<Histogram> c = histograms(cur);
            for (Map.Entry<String, GateThresholds.Limit> e : limits.entrySet()) {
                rows.add(e.getKey().equals(GateThresholds.ERROR_RATE)
                        ? errorRate(base, cur, e.getValue())
                        : latency(base.name(), e.getKey(), b, c, e.getValue()));
            }
        }
        for (BenchmarkSummary.ModeSummary cur : current.modes()) {
            if (baseline.mode(cur.name()) == null) {
                rows.add(new Row(cur.name(), "-", 0, 0, 0, null, 0, Status.NOT_COMPARED, "mode missing in baseline"));
            }
        }
        return rows;
    }

    public static boolean failed(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.status() == Status.REGRESSION || r.status() == Status.MISSING);
    }

    private static Row latency(String mode, String metric, List<Histogram> base, List<Histogram> cur, GateThresholds.Limit limit) {
        if (!measured(base) || !measured(cur)) {
            return new Row(mode, metric, 0, 0, 0, null, 0, Status.NOT_COMPARED, "a repetition recorded no latency");
        }
        double p = Percentiles.percentileOf(metric);
        double baseValue = pooled(base, p);
        double allowed = limit.allowedMicros(baseValue);
        double delta = RoundIntervals.meanDifference(base, cur, p);
        Interval ci = RoundIntervals.pairedDifference(base, cur, p).orElse(null);
        int rounds = RoundIntervals.rounds(base, cur);
        Status status;
        String note = "";
        if (rounds < MIN_REPETITIONS) {
            status = Status.UNCLEAR;
            note = rounds + " paired round" + (rounds == 1 ? "" : "s") + ": the gate needs repetitions >= " + MIN_REPETITIONS
                    + " on both sides";
        } else {
            status = decide(ci, delta, allowed);
        }
        return new Row(mode, metric, baseValue, pooled(cur, p), delta, ci, allowed, status, note);
    }

    /**
     * The error rate gates like a latency: {@link Status#REGRESSION} only when the whole 95 % interval of the increase
     * ({@link ErrorRateInterval}) lies above the allowed points, {@link Status#UNCLEAR} when the point estimate does but
     * the interval reaches below.
     */
    static Row errorRate(BenchmarkSummary.ModeSummary base, BenchmarkSummary.ModeSummary cur, GateThresholds.Limit limit) {
        double allowed = limit.maxIncreasePoints() == null ? 0 : limit.maxIncreasePoints();
        String note = cur.errors() + " of " + cur.requests() + " requests";
        if (base.requests() == 0 || cur.requests() == 0) {
            return new Row(base.name(), GateThresholds.ERROR_RATE, rate(base), rate(cur), 0, null, allowed, Status.NOT_COMPARED,
                    "no completed requests");
        }
        Interval ci = ErrorRateInterval.difference(base.errors(), base.requests(), cur.errors(), cur.requests());
        Status status = decide(ci, ci.estimate(), allowed);
        return new Row(base.name(), GateThresholds.ERROR_RATE, rate(base), rate(cur), ci.estimate(), ci, allowed, status, note);
    }

    /**
     * The one rule for latencies and error rates: a regression only when the whole interval of the increase lies above
     * the allowed increase, an improvement when it lies below 0, unclear when only the estimate is above the allowance.
     */
    private static Status decide(Interval ci, double estimate, double allowed) {
        return ci.low() > allowed ? Status.REGRESSION : ci.high() < 0 ? Status.IMPROVED
                : estimate > allowed ? Status.UNCLEAR : Status.OK;
    }

    private static double rate(BenchmarkSummary.ModeSummary m) {
        return m.requests() == 0 ? 0 : 100.0 * m.errors() / m.requests();
    }

    private static double pooled(List<Histogram> reps, double percentile) {
        Histogram h = new Histogram(3);
        reps.forEach(h::add);
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static boolean measured(List<Histogram> reps) {
        return !reps.isEmpty() && reps.stream().allMatch(h -> h.getTotalCount() > 0);
    }

    /** All-request histograms: a mode that starts failing must not look faster because its failures left the tail. */
    static List<Histogram> histograms(BenchmarkSummary.ModeSummary m) {
        return m.repetitions().stream().map(r -> LoadResult.decode(r.allRequestsHistogram())).toList();
    }
}
