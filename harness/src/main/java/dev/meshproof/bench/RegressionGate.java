package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares a current benchmark with a baseline, mode by mode. A latency metric is a {@link Status#REGRESSION}
 * only when the whole bootstrap 95 % CI of (current − baseline) lies above the allowed increase, i.e. the
 * data support a regression beyond the threshold; a point estimate above it with a CI reaching below is
 * {@link Status#UNCLEAR} and does not fail the gate. With a single repetition on either side the CI reflects
 * request sampling only, not run-to-run variation, so a CI above the threshold is reported as UNCLEAR there too:
 * gate on profiles with at least {@value #MIN_REPETITIONS} repetitions. Error rates are compared as counts
 * (percentage points). A mode the baseline has but the current run lacks is {@link Status#MISSING} and fails the
 * gate: a nightly job must not stay green because a mode stopped being measured.
 */
public final class RegressionGate {
    /** Repetitions per side needed before a CI can speak for run-to-run variation. */
    public static final int MIN_REPETITIONS = 2;
    private final Bootstrap bootstrap;

    public RegressionGate(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
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

    /** One gated metric of one mode; latencies in µs, error rates in percent. */
    public record Row(String mode, String metric, double baseline, double current, Interval delta, double allowed,
                      Status status, String note) {
    }

    public List<Row> compare(BenchmarkSummary baseline, BenchmarkSummary current, GateThresholds thresholds) {
        List<Row> rows = new ArrayList<>();
        for (BenchmarkSummary.ModeSummary base : baseline.modes()) {
            BenchmarkSummary.ModeSummary cur = current.mode(base.name());
            Map<String, GateThresholds.Limit> limits = thresholds.forMode(base.name());
            if (cur == null) {
                rows.add(new Row(base.name(), "-", 0, 0, null, 0, Status.MISSING, "mode missing in current"));
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
                rows.add(new Row(cur.name(), "-", 0, 0, null, 0, Status.NOT_COMPARED, "mode missing in baseline"));
            }
        }
        return rows;
    }

    public static boolean failed(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.status() == Status.REGRESSION || r.status() == Status.MISSING);
    }

    private Row latency(String mode, String metric, List<Histogram> base, List<Histogram> cur, GateThresholds.Limit limit) {
        if (!measured(base) || !measured(cur)) {
            return new Row(mode, metric, 0, 0, null, 0, Status.NOT_COMPARED, "a repetition recorded no latency");
        }
        double p = Percentiles.percentileOf(metric);
        Interval d = bootstrap.difference(base, cur, p);
        double baseValue = pooled(base, p);
        double allowed = limit.allowedMicros(baseValue);
        Status status;
        String note = "";
        if (d.low() > allowed && Math.min(base.size(), cur.size()) < MIN_REPETITIONS) {
            status = Status.UNCLEAR;
            note = "one repetition: run-to-run variation unknown, rerun with repetitions >= " + MIN_REPETITIONS;
        } else if (d.low() > allowed) {
            status = Status.REGRESSION;
        } else if (d.high() < 0) {
            status = Status.IMPROVED;
        } else if (d.estimate() > allowed) {
            status = Status.UNCLEAR;
        } else {
            status = Status.OK;
        }
        return new Row(mode, metric, baseValue, baseValue + d.estimate(), d, allowed, status, note);
    }

    private static Row errorRate(BenchmarkSummary.ModeSummary base, BenchmarkSummary.ModeSummary cur, GateThresholds.Limit limit) {
        double b = rate(base);
        double c = rate(cur);
        double allowed = limit.maxIncreasePoints() == null ? 0 : limit.maxIncreasePoints();
        Status status = c - b > allowed ? Status.REGRESSION : c < b ? Status.IMPROVED : Status.OK;
        return new Row(base.name(), GateThresholds.ERROR_RATE, b, c, null, allowed, status,
                cur.errors() + " of " + cur.requests() + " requests");
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

    static List<Histogram> histograms(BenchmarkSummary.ModeSummary m) {
        return m.repetitions().stream().map(r -> LoadResult.decode(r.histogram())).toList();
    }
}
