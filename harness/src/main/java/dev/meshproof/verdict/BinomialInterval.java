package dev.meshproof.verdict;

/**
 * A two-sided confidence interval for a binomial proportion: the share of {@code n} calls that met something, when
 * each call is an independent draw (Envoy's weighted clusters pick per request).
 *
 * <p>Clopper–Pearson ("exact") is used because it is conservative: its coverage is at least the nominal confidence for
 * every true proportion and every {@code n} (Clopper &amp; Pearson, Biometrika 26(4), 1934). A judge built on it can
 * therefore state a guaranteed bound on how often a correct mesh is failed, where the Wilson or Wald intervals only
 * approach their nominal coverage. The bounds solve {@code P(X >= k | n, L) = (1-c)/2} and
 * {@code P(X <= k | n, U) = (1-c)/2} by bisection on the binomial distribution function (an incomplete beta function).
 *
 * @param successes  k
 * @param trials     n
 * @param confidence the nominal two-sided confidence, e.g. 0.999
 * @param lower      the lower bound (0 when k = 0)
 * @param upper      the upper bound (1 when k = n)
 */
public record BinomialInterval(int successes, int trials, double confidence, double lower, double upper) {

    public static BinomialInterval clopperPearson(int successes, int trials, double confidence) {
        if (trials <= 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials and trials > 0, got " + successes + "/" + trials);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        double tail = (1 - confidence) / 2;
        // P(X >= k | p) grows with p: the lower bound is the p where it reaches the tail
        double lower = successes == 0 ? 0 : bisect(p -> 1 - cdf(successes - 1, trials, p), tail, true);
        // P(X <= k | p) falls with p: the upper bound is the p where it falls to the tail
        double upper = successes == trials ? 1 : bisect(p -> cdf(successes, trials, p), tail, false);
        return new BinomialInterval(successes, trials, confidence, lower, upper);
    }

    /** The observed share k/n. */
    public double share() {
        return (double) successes / trials;
    }

    public boolean contains(double p) {
        return p >= lower && p <= upper;
    }

    /** {@code 19.8% (79/400), 99.9% Clopper–Pearson [14.6%, 25.6%]}. */
    public String describe() {
        return percent(share()) + " (" + successes + "/" + trials + "), " + percent(confidence) + " Clopper–Pearson interval ["
                + percent(lower) + ", " + percent(upper) + "]";
    }

    static String percent(double p) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", p * 100);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }

    /** P(X <= k) for X ~ Binomial(n, p) = I<sub>1-p</sub>(n - k, k + 1), the regularized incomplete beta function. */
    public static double cdf(int k, int n, double p) {
        if (k < 0) {
            return 0;
        }
        if (k >= n || p <= 0) {
            return 1;
        }
        if (p >= 1) {
            return 0;
        }
        return regularizedBeta(1 - p, n - k, k + 1.0);
    }

    /** P(X = k) for X ~ Binomial(n, p), in log space (no cancellation for tiny probabilities). */
    public static double pmf(int k, int n, double p) {
        if (k < 0 || k > n) {
            return 0;
        }
        if (p <= 0 || p >= 1) {
            return (p <= 0 ? k == 0 : k == n) ? 1 : 0;
        }
        double logChoose = logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
        return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
    }

    /**
     * I<sub>x</sub>(a, b) by its continued fraction (Lentz's method), on the side where it converges fast
     * (Press et al., Numerical Recipes, 3rd ed., §6.4 "Incomplete Beta Function").
     */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x)) / a;
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double f = d;
        for (int m = 1; m <= 10_000; m++) {
            double num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d;
            c = 1 + num / c;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = Math.abs(c) < tiny ? tiny : c;
            f *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + num * d;
            c = 1 + num / c;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = d * c;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.min(1, Math.max(0, front * f));
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /** ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, n = 9: about 15 significant digits). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** The p in (0, 1) where the monotone {@code f} crosses {@code target} ({@code rising}: f grows with p). */
    private static double bisect(java.util.function.DoubleUnaryOperator f, double target, boolean rising) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            boolean below = f.applyAsDouble(mid) < target;
            if (below == rising) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
