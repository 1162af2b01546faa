package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a repetition measured the load it was asked for. A run whose generator could not keep up does not measure
 * the target at the requested rate: its latencies are (partly) the client's own queue, and a gate comparing it would
 * compare generators. A repetition is invalid when
 * <ul>
 *   <li>any planned arrival was never sent, or a request was still unanswered when the run stopped (they are censored
 *       in the all-request latencies, so those are lower bounds);</li>
 *   <li>the achieved rate is below {@value #MIN_ACHIEVED_SHARE} of the requested one;</li>
 *   <li>the generator moved a reported percentile by more than the regression gate calls a regression there.</li>
 * </ul>
 * The last rule needs no invented share. Every answered request is timed twice: from its intended send (the reported
 * latency) and from its actual send (service time); the difference is the generator's own delay, whatever caused it
 * (all connections busy, a late timer, a JVM or CPU pause). So {@code p(latency) − p(service time)} is exactly how far
 * the generator moved percentile {@code p}: it is 0 for a generator that sent everything on time. It is compared with
 * the smallest increase the shipped gate ({@code ci/gates.yaml} defaults, {@link #MATERIAL}) would call a regression at
 * that percentile: a shift that large is as big as the changes the gate exists to detect, so the number reflects the
 * generator as much as the target, and two runs could differ by it with the same target.
 */
public final class RunValidity {
    static final double MIN_ACHIEVED_SHARE = 0.99;

    /** The shipped gate's default limits ({@code ci/gates.yaml}, kept equal by RunValidityTest) at the percentiles it gates. */
    static final Map<Double, GateThresholds.Limit> MATERIAL = materialShifts();

    private static Map<Double, GateThresholds.Limit> materialShifts() {
        Map<Double, GateThresholds.Limit> m = new java.util.LinkedHashMap<>();
        m.put(50.0, new GateThresholds.Limit(50.0, 10.0, null));
        m.put(90.0, new GateThresholds.Limit(100.0, 10.0, null));
        m.put(99.0, new GateThresholds.Limit(150.0, 15.0, null));
        return java.util.Collections.unmodifiableMap(m);
    }

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
        // both histograms hold the same requests, the answered ones (the tables' percentiles), timed from two starts
        Histogram fromIntended = r.latencyHistogram();
        Histogram fromActual = r.serviceTimeHistogram();
        if (fromIntended.getTotalCount() > 0 && fromActual.getTotalCount() > 0) {
            for (Map.Entry<Double, GateThresholds.Limit> e : MATERIAL.entrySet()) {
                double p = e.getKey();
                double reported = fromIntended.getValueAtPercentile(p) / 1000.0;
                double onTime = fromActual.getValueAtPercentile(p) / 1000.0;
                double shift = reported - onTime;
                double material = e.getValue().allowedMicros(reported);
                if (shift > material) {
                    reasons.add(String.format(Locale.ROOT, "the generator's own delay moved p%s by %.0f µs (%.0f µs from the "
                                    + "intended send, %.0f µs from the actual send), more than the %.0f µs the regression gate "
                                    + "allows there: the client's lateness, not the target's latency", number(p), shift,
                            reported, onTime, material));
                }
            }
        }
        return reasons;
    }
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
