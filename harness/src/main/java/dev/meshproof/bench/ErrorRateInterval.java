package dev.meshproof.bench;

/**
 * The 95 % interval of the difference of two error rates, {@code current − baseline} in percentage points: Newcombe's
 * hybrid score interval (Newcombe 1998, "Interval estimation for the difference between independent proportions",
 * Statistics in Medicine 17, method 10), built from each rate's Wilson score interval. Unlike the Wald interval it stays
 * sensible at the rates a benchmark sees (0 errors, or a handful in 10^5 requests), where a point estimate would fail a
 * gate on one stray error. It treats requests as independent trials: errors that come in bursts (one bad repetition)
 * make it narrower than the data allow, so a burst in one run can still fail a gate.
 */
public final class ErrorRateInterval {
    private static final double Z = StudentT.Z;

    private ErrorRateInterval() {
    }

    /** {@code errors2/requests2 − errors1/requests1} in points with its 95 % interval; needs requests on both sides. */
    public static Interval difference(long errors1, long requests1, long errors2, long requests2) {
        if (requests1 <= 0 || requests2 <= 0) {
            throw new IllegalArgumentException("an error rate needs requests on both sides");
        }
        double p1 = errors1 / (double) requests1;
        double p2 = errors2 / (double) requests2;
        double[] w1 = wilson(p1, requests1);
        double[] w2 = wilson(p2, requests2);
        double d = p2 - p1;
        double low = d - Math.sqrt(square(p2 - w2[0]) + square(w1[1] - p1));
        double high = d + Math.sqrt(square(w2[1] - p2) + square(p1 - w1[0]));
        return new Interval(100 * d, 100 * low, 100 * high);
    }

    /** Wilson's score interval of a proportion. */
    static double[] wilson(double p, long n) {
        double z2n = Z * Z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = Z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n));
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static double square(double v) {
        return v * v;
    }
}
