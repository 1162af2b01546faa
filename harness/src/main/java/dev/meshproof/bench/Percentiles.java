package dev.meshproof.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in microseconds, read straight from an HdrHistogram recorded in nanoseconds
 * (3 significant digits: 1 µs resolution up to 1 ms, 0.1 % above).
 */
public record Percentiles(double p50, double p90, double p95, double p99, double p999, double max, double mean) {

    /** The percentiles the reports show, with their JSON names. */
    public static final String[] NAMES = {"p50", "p90", "p95", "p99", "p999"};

    public static Percentiles ofNanos(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0, 0, 0);
        }
        return new Percentiles(micros(h, 50), micros(h, 90), micros(h, 95), micros(h, 99), micros(h, 99.9),
                h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
    }

    private static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The percentile (0-100) a JSON name stands for: p50 → 50, p999 → 99.9. */
    public static double percentileOf(String name) {
        return switch (name) {
            case "p50" -> 50;
            case "p90" -> 90;
            case "p95" -> 95;
            case "p99" -> 99;
            case "p999" -> 99.9;
            default -> throw new IllegalArgumentException("unknown percentile " + name + " (known: p50, p90, p95, p99, p999)");
        };
    }

    public double get(String name) {
        return switch (name) {
            case "p50" -> p50;
            case "p90" -> p90;
            case "p95" -> p95;
            case "p99" -> p99;
            case "p999" -> p999;
            case "max" -> max;
            case "mean" -> mean;
            default -> throw new IllegalArgumentException("unknown statistic " + name);
        };
    }
}
