package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a repetition measured the load it was asked for. A run whose generator could not keep up does not measure
 * the target at the requested rate: its latencies are (partly) the client's own queue, and a gate comparing it would
 * compare generators. A repetition is invalid when
 * <ul>
 *   <li>any planned arrival was never sent, or a request was still unanswered when the run stopped (they are censored
 *       in the all-request latencies, so those are lower bounds);</li>
 *   <li>the achieved rate is below {@value #MIN_ACHIEVED_SHARE} of the requested one;</li>
 *   <li>generator lateness is a material share of the latency reported: at p50 or p99 the lateness is at least
 *       {@value #MATERIAL_LATENESS_SHARE} of the successful requests' latency there, and at least
 *       {@value #LATENESS_FLOOR_MICROS} µs (below that, timer slack on a sub-millisecond p50 is not worth a rerun).</li>
 * </ul>
 */
public final class RunValidity {
    static final double MIN_ACHIEVED_SHARE = 0.99;
    static final double MATERIAL_LATENESS_SHARE = 0.25;
    static final double LATENESS_FLOOR_MICROS = 100;

    private RunValidity() {
    }

    /** Why the repetition is invalid; empty when it is valid. */
    public static List<String> reasons(LoadResult r) {
        List<String> reasons = new ArrayList<>();
        if (r.unsent() > 0) {
            reasons.add(r.unsent() + " of " + r.planned() + " planned arrivals never sent (the generator fell behind: "
                    + "lower the rate or raise connections)");
        }
        if (r.inFlightAtEnd() > 0) {
            reasons.add(r.inFlightAtEnd() + " requests still unanswered when the run stopped");
        }
        if (r.achievedRate() < MIN_ACHIEVED_SHARE * r.requestedRate()) {
            reasons.add(String.format(Locale.ROOT, "achieved %.1f rps, %.1f %% of the requested %s (needs %.0f %%)",
                    r.achievedRate(), 100 * r.achievedRate() / r.requestedRate(), number(r.requestedRate()),
                    100 * MIN_ACHIEVED_SHARE));
        }
        Histogram lateness = r.latenessHistogram();
        // against the latency of requests that were sent and answered (the tables' percentiles): the all-request one
        // also holds censored arrivals, whose lower bounds can be 0 when the run was cut before they were due
        Histogram latency = r.latencyHistogram().getTotalCount() > 0 ? r.latencyHistogram() : r.allLatencyHistogram();
        if (lateness.getTotalCount() > 0 && latency.getTotalCount() > 0) {
            for (double p : new double[]{50, 99}) {
                double late = lateness.getValueAtPercentile(p) / 1000.0;
                double total = latency.getValueAtPercentile(p) / 1000.0;
                if (late >= LATENESS_FLOOR_MICROS && late >= MATERIAL_LATENESS_SHARE * total) {
                    reasons.add(String.format(Locale.ROOT, "generator lateness p%.0f %.0f µs is %.0f %% of the latency p%.0f "
                            + "%.0f µs (the client's own delay, not the target's)", p, late, 100 * late / total, p, total));
                }
            }
        }
        return reasons;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
