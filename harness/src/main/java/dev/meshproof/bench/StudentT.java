package dev.meshproof.bench;

/**
 * The 97.5 % quantile of Student's t distribution, the multiplier of a two-sided 95 % t-interval. With the 3-5
 * repetitions a cluster run affords, using the normal 1.96 instead would make the interval 30-55 % too narrow
 * (t is 4.30 with 2 degrees of freedom, 2.78 with 4). Exact to three decimals from the standard table up to 30
 * degrees of freedom; above, the Cornish-Fisher expansion around the normal quantile (error under 0.001).
 */
final class StudentT {
    private static final double[] TABLE = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};
    /** The standard normal 97.5 % quantile (two-sided 95 %). */
    static final double Z = 1.959964;

    private StudentT() {
    }

    /** t(0.975, {@code degreesOfFreedom}); needs at least 1 degree of freedom. */
    static double quantile975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("a t-interval needs at least 1 degree of freedom, got " + degreesOfFreedom);
        }
        if (degreesOfFreedom <= TABLE.length) {
            return TABLE[degreesOfFreedom - 1];
        }
        double v = degreesOfFreedom;
        double z3 = Z * Z * Z;
        double z5 = z3 * Z * Z;
        return Z + (z3 + Z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * Z) / (96 * v * v);
    }
}
