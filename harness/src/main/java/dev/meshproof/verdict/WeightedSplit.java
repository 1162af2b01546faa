package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * A weighted traffic split judged statistically: the share of a sample's calls answered by {@code version} must be
 * explained by the configured weight and must not be explained by the spread there is without the route.
 *
 * <p>Envoy picks a weighted cluster per request, so the count of calls answered by {@code version} is binomial. The
 * judge computes the {@link BinomialInterval#clopperPearson Clopper–Pearson} interval at {@link #CONFIDENCE} and:
 * <ul>
 *   <li>FAIL when a call was not answered by the server (a split that drops requests), or when the interval excludes
 *       the configured share (the mesh splits differently);</li>
 *   <li>INCONCLUSIVE when no call was recorded, when the sample is smaller than {@link #minimumCalls()}, or when the
 *       interval still contains the unrouted share (a 50/50 spread could have produced it): a sample that matches the
 *       weight only by chance never passes;</li>
 *   <li>PASS otherwise, reporting the observed share with its interval.</li>
 * </ul>
 *
 * <p>Error rates. Clopper–Pearson covers the true share with probability at least {@link #CONFIDENCE}, so a correct
 * mesh is failed at most 0.1 % of the time, at any sample size. {@link #minimumCalls()} is the classic one-sample
 * size for telling the configured share p0 from p1 = p0 ± {@code tolerance} (towards the unrouted share) at the same
 * confidence with {@link #POWER}: n = ⌈((z<sub>1-α/2</sub>·√(p0(1-p0)) + z<sub>1-β</sub>·√(p1(1-p1))) / tolerance)²⌉.
 * For 80/20 with a 15-point tolerance that is 346 calls; {@code WeightedSplitTest} computes the exact rates at the
 * check's 400 calls (correct 80/20 failed: &lt; 0.1 %; 65/35 passed: &lt; 0.1 %; 50/50 passed: 0 to 10 decimals).
 *
 * @param version    the version whose share is judged ({@code v2})
 * @param configured the share the route configures for it (0.2 for 80/20)
 * @param unrouted   the share it gets without the route (0.5 with two versions spread evenly)
 * @param tolerance  the smallest deviation from {@code configured} the sample size must be able to detect
 */
public record WeightedSplit(String version, double configured, double unrouted, double tolerance) {
    /** Two-sided confidence of the interval: a correct mesh fails at most 1 - CONFIDENCE of the time. */
    public static final double CONFIDENCE = 0.999;
    /** Probability that a split {@code tolerance} off the configured share is caught, at {@link #minimumCalls()}. */
    public static final double POWER = 0.999;
    /** Φ⁻¹(1 - (1 - CONFIDENCE)/2) = Φ⁻¹(0.9995). */
    static final double Z_CONFIDENCE = 3.290527;
    /** Φ⁻¹(POWER) = Φ⁻¹(0.999). */
    static final double Z_POWER = 3.090232;

    public WeightedSplit {
        if (!(configured > 0 && configured < 1 && unrouted > 0 && unrouted < 1 && tolerance > 0 && tolerance <= Math.abs(unrouted - configured))) {
            throw new IllegalArgumentException("need 0 < configured, unrouted < 1 and 0 < tolerance <= |unrouted - configured|, got "
                    + configured + ", " + unrouted + ", " + tolerance);
        }
    }

    /** The calls a sample needs before it can pass (see the class comment). */
    public int minimumCalls() {
        double p1 = configured + Math.signum(unrouted - configured) * tolerance;
        double root = (Z_CONFIDENCE * Math.sqrt(configured * (1 - configured)) + Z_POWER * Math.sqrt(p1 * (1 - p1))) / tolerance;
        return (int) Math.ceil(root * root);
    }

    /** Judges the calls recorded for {@code step} (one {@code ctx.sample}, or several pooled). */
    public Verdict judge(Evidence evidence, Step step) {
        List<Probe> probes = evidence.probes(step.name());
        List<CallResult> calls = new ArrayList<>();
        probes.forEach(p -> calls.addAll(p.parsedResponse().results()));
        String what = "'" + step.name() + "'";
        if (calls.isEmpty()) {
            return Verdict.inconclusive(what + ": no call recorded" + (probes.isEmpty() ? "" : " in " + probes.size() + " observations"));
        }
        for (int i = 0; i < calls.size(); i++) {
            CallResult c = calls.get(i);
            if (c.outcome() != Outcome.OK || c.echo() == null) {
                return Verdict.fail(what + ": call " + (i + 1) + " of " + calls.size() + " (calls.jsonl #" + probes.get(0).seq()
                        + (probes.size() > 1 ? "–#" + probes.get(probes.size() - 1).seq() : "") + ") was not answered by the server: "
                        + CallExpectation.describe(c) + "; a split must deliver every request");
            }
        }
        int hits = (int) calls.stream().filter(c -> version.equals(c.echo().version())).count();
        Verdict v = judge(hits, calls.size());
        return new Verdict(v.status(), v.reasons().stream().map(r -> what + ": " + r).toList());
    }

    /** The decision on {@code hits} of {@code calls} answered by {@link #version}. */
    public Verdict judge(int hits, int calls) {
        if (calls <= 0) {
            return Verdict.inconclusive("no call to judge");
        }
        BinomialInterval ci = BinomialInterval.clopperPearson(hits, calls, CONFIDENCE);
        String observed = version + "'s share " + ci.describe();
        String want = "the configured " + BinomialInterval.percent(configured);
        String spread = BinomialInterval.percent(unrouted) + " (the spread without the route)";
        if (!ci.contains(configured)) {
            return Verdict.fail(observed + " excludes " + want + (ci.contains(unrouted) ? "; it contains " + spread : ""));
        }
        if (calls < minimumCalls()) {
            return Verdict.inconclusive(observed + ": " + calls + " calls are fewer than the " + minimumCalls() + " needed to tell "
                    + want + " from a split " + BinomialInterval.percent(tolerance) + " off it; too small a sample to pass");
        }
        if (ci.contains(unrouted)) {
            return Verdict.inconclusive(observed + " contains both " + want + " and " + spread + ": the sample cannot tell them apart");
        }
        return Verdict.pass(observed + ": contains " + want + ", excludes " + spread);
    }
}
