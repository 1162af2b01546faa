package dev.meshproof.verdict;

import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.evidence.Probe;
import dev.meshproof.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.httpError;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link WeightedSplit} and its {@link BinomialInterval}: the interval against published values, the sample size by
 * formula and by exact binomial enumeration, and the judge's error rates by seeded simulation — a correct 80/20 mesh
 * is (almost) never failed; a 50/50 or 65/35 mesh is (almost) never passed; a sample that matches 80/20 only by chance
 * is never passed.
 */
class WeightedSplitTest {
    /** The route-httproute-weighted check's judge: v2 at 20 %, 50 % without the route, a 15-point deviation must be caught. */
    static final WeightedSplit EIGHTY_TWENTY = new WeightedSplit("v2", 0.2, 0.5, 0.15);
    /** The check's sample size. */
    static final int SAMPLE = 400;

    @Test
    void clopperPearsonMatchesPublishedBounds() {
        // 5 of 10 at 95 %: [0.1871, 0.8129] (Clopper & Pearson 1934; e.g. R binom.test(5, 10)$conf.int)
        BinomialInterval half = BinomialInterval.clopperPearson(5, 10, 0.95);
        assertThat(half.lower()).isCloseTo(0.1871, within(1e-4));
        assertThat(half.upper()).isCloseTo(0.8129, within(1e-4));
        // k = 0 and k = n have closed forms: upper = 1 - (α/2)^(1/n), lower = (α/2)^(1/n)
        assertThat(BinomialInterval.clopperPearson(0, 10, 0.95).upper()).isCloseTo(1 - Math.pow(0.025, 0.1), within(1e-9));
        assertThat(BinomialInterval.clopperPearson(0, 10, 0.95).lower()).isZero();
        assertThat(BinomialInterval.clopperPearson(400, 400, 0.999).lower()).isCloseTo(Math.pow(0.0005, 1.0 / 400), within(1e-9));
        // 80 of 400 at 99.9 %, the check's typical sample: beta quantiles B(0.0005; 80, 321) = 0.139073,
        // B(0.9995; 81, 320) = 0.272443 (scipy.stats.beta.ppf)
        BinomialInterval typical = BinomialInterval.clopperPearson(80, 400, 0.999);
        assertThat(typical.lower()).isCloseTo(0.139073, within(1e-6));
        assertThat(typical.upper()).isCloseTo(0.272443, within(1e-6));
        assertThat(typical.describe()).isEqualTo("20% (80/400), 99.9% Clopper–Pearson interval [13.9%, 27.2%]");
    }

    @Test
    void theMinimumSampleIsTheOneSampleSizeFormula() {
        // ((3.2905·√(0.2·0.8) + 3.0902·√(0.35·0.65)) / 0.15)² = 345.6
        assertThat(EIGHTY_TWENTY.minimumCalls()).isEqualTo(346);
        assertThat(SAMPLE).isGreaterThanOrEqualTo(EIGHTY_TWENTY.minimumCalls());
    }

    private static final Map<Integer, Status[]> BY_HITS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The judge's status for every possible count of v2 answers among {@code n} calls (computed once per n). */
    private static Status[] byHits(int n) {
        return BY_HITS.computeIfAbsent(n, x -> IntStream.rangeClosed(0, n).mapToObj(k -> EIGHTY_TWENTY.judge(k, n).status()).toArray(Status[]::new));
    }

    /** P(the judge says {@code status} | true share p, n calls), by exact enumeration of the binomial. */
    private static double exactRate(double p, int n, Status status) {
        Status[] statuses = byHits(n);
        return IntStream.rangeClosed(0, n).filter(k -> statuses[k] == status).mapToDouble(k -> BinomialInterval.pmf(k, n, p)).sum();
    }

    @Test
    void exactErrorRatesAtTheChecksSampleSize() {
        double falseFail = exactRate(0.2, SAMPLE, Status.FAIL);
        double passAt6535 = exactRate(0.35, SAMPLE, Status.PASS);
        double passAt5050 = exactRate(0.5, SAMPLE, Status.PASS);
        System.out.printf("WeightedSplit exact, n=%d: correct 80/20 failed %.2e, 65/35 passed %.2e, 50/50 passed %.2e%n",
                SAMPLE, falseFail, passAt6535, passAt5050);
        assertThat(falseFail).as("a correct 80/20 mesh failed").isLessThanOrEqualTo(1 - WeightedSplit.CONFIDENCE);
        assertThat(passAt6535).as("a 65/35 mesh passed").isLessThanOrEqualTo(1 - WeightedSplit.POWER);
        assertThat(passAt5050).as("a 50/50 mesh passed").isLessThan(1e-10);
        assertThat(exactRate(0.2, SAMPLE, Status.PASS)).as("a correct mesh passes").isGreaterThan(0.998);
        // at the formula's minimum the power holds too (the formula is not just optimistic)
        assertThat(exactRate(0.35, EIGHTY_TWENTY.minimumCalls(), Status.PASS)).isLessThanOrEqualTo(0.002);
    }

    @Test
    void seededSimulationOfMeshesThatSplitRightAndWrong() {
        Random random = new Random(20260814L);
        int trials = 4000;
        Map<Status, Integer> correct = simulate(random, 0.2, SAMPLE, trials);
        Map<Status, Integer> even = simulate(random, 0.5, SAMPLE, trials);
        Map<Status, Integer> off = simulate(random, 0.35, SAMPLE, trials);
        System.out.printf("WeightedSplit simulated, %d trials of n=%d: 80/20 %s, 50/50 %s, 65/35 %s%n", trials, SAMPLE, correct, even, off);
        assertThat(correct.getOrDefault(Status.FAIL, 0)).as("correct 80/20 failed").isLessThanOrEqualTo(trials / 200);
        assertThat(correct.getOrDefault(Status.PASS, 0)).isGreaterThanOrEqualTo(trials - trials / 200);
        assertThat(even.getOrDefault(Status.PASS, 0)).as("50/50 passed").isZero();
        assertThat(off.getOrDefault(Status.PASS, 0)).as("65/35 passed").isLessThanOrEqualTo(trials / 200);
    }

    @Test
    void aSampleThatMatchesOnlyByChanceNeverPasses() {
        // a 50/50 mesh whose 20 calls happened to give v2 four times: exactly 20 %, and still no evidence of a route
        Verdict lucky = EIGHTY_TWENTY.judge(4, 20);
        assertThat(lucky.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(lucky.line()).contains("v2's share 20% (4/20)").contains("fewer than the 346 needed");
        // whatever a small sample shows, it never passes
        Map<Status, Integer> small = simulate(new Random(7), 0.5, 40, 2000);
        assertThat(small.getOrDefault(Status.PASS, 0)).isZero();
        assertThat(byHits(EIGHTY_TWENTY.minimumCalls() - 1)).doesNotContain(Status.PASS);
    }

    @Test
    void theVerdictNamesTheShareAndItsInterval() {
        Verdict pass = EIGHTY_TWENTY.judge(80, 400);
        assertThat(pass.line()).isEqualTo("PASS: v2's share 20% (80/400), 99.9% Clopper–Pearson interval [13.9%, 27.2%]: contains the configured 20%, "
                + "excludes 50% (the spread without the route)");
        assertThat(EIGHTY_TWENTY.judge(200, 400).line()).startsWith("FAIL: v2's share 50% (200/400)").contains("excludes the configured 20%; it contains 50%");
        assertThat(EIGHTY_TWENTY.judge(0, 400).status()).as("nothing routed to v2").isEqualTo(Status.FAIL);
    }

    private static CallResult answered(String version) {
        return new CallResult(Outcome.OK, 200, 900, new EchoReply("GET", "/echo", null, "HTTP/1.1", Map.of(), "echo-" + version + "-5d8f9",
                "mp-server", "echo", version, "10.244.1.12", 58508, null), null, null, null);
    }

    @Test
    void judgedFromTheRecordedSample() {
        Step split = Step.expect("'client' sample of the 80/20 split", CallExpectation.ADMITTED);
        CallResult[] calls = IntStream.range(0, 400).mapToObj(i -> answered(i % 5 == 0 ? "v2" : "v1")).toArray(CallResult[]::new);
        Verdict v = EIGHTY_TWENTY.judge(evidence().probe(split.name(), Probe.ONCE, 0, response(calls)).build(), split);
        assertThat(v.line()).startsWith("PASS: ''client' sample of the 80/20 split': v2's share 20% (80/400)");

        calls[7] = httpError(503, "no healthy upstream");
        Verdict dropped = EIGHTY_TWENTY.judge(evidence().probe(split.name(), Probe.ONCE, 0, response(calls)).build(), split);
        assertThat(dropped.status()).isEqualTo(Status.FAIL);
        assertThat(dropped.line()).contains("call 8 of 400 (calls.jsonl #1) was not answered by the server: http_error 503 \"no healthy upstream\"");

        assertThat(EIGHTY_TWENTY.judge(evidence().build(), split).status()).isEqualTo(Status.INCONCLUSIVE);
    }

    /** Outcome counts of {@code trials} samples of {@code n} calls from a mesh sending share {@code p} to v2. */
    private static Map<Status, Integer> simulate(Random random, double p, int n, int trials) {
        Status[] statuses = byHits(n);
        Map<Status, Integer> out = new EnumMap<>(Status.class);
        for (int t = 0; t < trials; t++) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += random.nextDouble() < p ? 1 : 0;
            }
            out.merge(statuses[hits], 1, Integer::sum);
        }
        return out;
    }
}
