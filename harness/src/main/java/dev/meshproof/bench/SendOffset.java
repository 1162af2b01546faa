package dev.meshproof.bench;

import org.HdrHistogram.Histogram;

/**
 * The signed offset of measured sends from their due times, in µs. Gatling pauses in whole milliseconds and the
 * engine rounds the wait down, so a send may leave up to 1 ms early (its latency then counts from its actual send)
 * or late (the lateness is in its latency). Early sends make the load burstier than "constant rate" says; late ones
 * are generator delay. Both are reported so neither hides.
 *
 * @param earlyPercent  share of measured sends that left before they were due
 * @param earlyP50Micros median earliness of those early sends
 * @param earlyMaxMicros the earliest any send left
 * @param lateP50Micros lateness of all measured sends (early ones count 0), p50
 * @param lateP99Micros p99 of the same
 * @param lateMaxMicros the latest any send left
 */
public record SendOffset(double earlyPercent, double earlyP50Micros, double earlyMaxMicros, double lateP50Micros,
                         double lateP99Micros, double lateMaxMicros) {

    /** From the lateness histogram (every measured send) and the earliness histogram (early sends only), in ns. */
    public static SendOffset of(Histogram lateness, Histogram earliness) {
        long sends = lateness.getTotalCount();
        long early = earliness.getTotalCount();
        return new SendOffset(sends == 0 ? 0 : 100.0 * early / sends,
                early == 0 ? 0 : earliness.getValueAtPercentile(50) / 1000.0, early == 0 ? 0 : earliness.getMaxValue() / 1000.0,
                sends == 0 ? 0 : lateness.getValueAtPercentile(50) / 1000.0, sends == 0 ? 0 : lateness.getValueAtPercentile(99) / 1000.0,
                sends == 0 ? 0 : lateness.getMaxValue() / 1000.0);
    }
}
