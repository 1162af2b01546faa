package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.PauseDetector;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a repetition stops measuring the target: each rule on its own, at 1000 rps with 1000 planned requests. */
class RunValidityTest {

    /** 1000 planned; every answered request takes {@code serviceUs} from its actual send and left {@code latenessUs} late. */
    private static LoadResult run(long unsent, long inFlight, double achieved, double latenessUs) {
        return run(unsent, inFlight, achieved, fixed(1000, 1000 - unsent), fixed(latenessUs, 1000 - unsent));
    }

    private static Histogram fixed(double micros, long count) {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(Math.round(micros * 1000), count);
        return h;
    }

    /** The reported latency of each request is its service time plus its lateness, added request by request. */
    private static LoadResult run(long unsent, long inFlight, double achieved, Histogram service, Histogram lateness) {
        return new LoadResult("t", 1000, achieved, 1, 1000, 1000 - unsent, 1000 - unsent - inFlight, unsent, inFlight, 0, 0,
                Map.of(), LoadResult.encode(sum(service, lateness)), LoadResult.encode(sum(service, lateness)),
                LoadResult.encode(lateness), LoadResult.encode(new Histogram(3)), LoadResult.encode(service),
                new PauseDetector.Pauses(1, 1, 0, 0, 0), 0, null);
    }

    /** Pairs the i-th smallest service time with the i-th smallest lateness (a lateness that grows with service time). */
    private static Histogram sum(Histogram service, Histogram lateness) {
        long[] s = values(service);
        long[] l = values(lateness);
        Histogram h = new Histogram(3);
        for (int i = 0; i < s.length; i++) {
            h.recordValue(s[i] + (i < l.length ? l[i] : 0));
        }
        return h;
    }

    private static long[] values(Histogram h) {
        long[] v = new long[(int) h.getTotalCount()];
        int i = 0;
        for (org.HdrHistogram.HistogramIterationValue x : h.recordedValues()) {
            for (long c = 0; c < x.getCountAtValueIteratedTo(); c++) {
                v[i++] = x.getValueIteratedTo();
            }
        }
        return v;
    }

    @Test
    void aRunThatSentEverythingOnTimeIsValid() {
        assertThat(RunValidity.reasons(run(0, 0, 1000, 20))).isEmpty();
        assertThat(RunValidity.reasons(run(0, 0, 990, 99))).as("at the limits").isEmpty();
    }

    @Test
    void unsentArrivalsAndUnansweredRequestsMakeItInvalid() {
        assertThat(RunValidity.reasons(run(3, 0, 1000, 0))).containsExactly(
                "3 of 1000 planned arrivals never sent (the generator fell behind: lower the rate or raise connections)");
        assertThat(RunValidity.reasons(run(0, 2, 1000, 0))).containsExactly("2 requests still unanswered when the run stopped");
    }

    @Test
    void anAchievedRateBelowNinetyNinePercentMakesItInvalid() {
        assertThat(RunValidity.reasons(run(0, 0, 989, 0))).containsExactly(
                "achieved 989.0 rps, 98.9 % of the requested 1000 (needs 99 %)");
    }

    @Test
    void theGeneratorMovingAPercentileByMoreThanTheGateAllowsThereMakesItInvalid() {
        // 1 ms service time, every send 120 µs late: p50 moves by 120 µs > 100 µs (10 % of 1.12 ms, the p50 limit), p90 by
        // 120 µs > 112 µs, but p99 by less than its 168 µs (15 %). HdrHistogram (3 digits) reports the highest value
        // equivalent to 1.12 ms, 1120.8 µs (and 1000.4 µs for 1 ms), so the shift prints as 121 µs
        assertThat(RunValidity.reasons(run(0, 0, 1000, 120))).containsExactly(
                "the generator's own delay moved p50 by 121 µs (1121 µs from the intended send, 1000 µs from the actual send), "
                        + "more than the 112 µs the regression gate allows there: the client's lateness, not the target's latency",
                "the generator's own delay moved p90 by 121 µs (1121 µs from the intended send, 1000 µs from the actual send), "
                        + "more than the 112 µs the regression gate allows there: the client's lateness, not the target's latency");
        assertThat(RunValidity.reasons(run(0, 0, 1000, 110))).as("110 µs is within 10 % of 1.11 ms").isEmpty();
    }

    @Test
    void aLateTailIsCaughtAtP99EvenWhenMostSendsAreOnTime() {
        // 98 % of sends on time, 2 % 5 ms late, e.g. behind JVM pauses: p50 and p90 untouched, p99 moved by 5 ms
        Histogram lateness = fixed(0, 980);
        lateness.recordValueWithCount(5_000_000, 20);
        assertThat(RunValidity.reasons(run(0, 0, 1000, fixed(1000, 1000), lateness)))
                .singleElement().asString().matches("the generator.s own delay moved p99 by 5\\d{3} µs \\(6\\d{3} µs from the intended send.*");
        // the same 20 late sends against a slow target (100 ms): 5 ms is within the 15 % the gate allows at p99
        assertThat(RunValidity.reasons(run(0, 0, 1000, fixed(100_000, 1000), lateness))).isEmpty();
    }

    @Test
    void aLatenessMeasuredOnlyOnEarlySendsOrNoneAtAllMovesNothing() {
        // on time to the µs: reported and service-time percentiles are equal whatever the target's spread
        Histogram service = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            service.recordValue(i * 37_000L);
        }
        assertThat(RunValidity.reasons(run(0, 0, 1000, service, fixed(0, 1000)))).isEmpty();
    }

    @Test
    void theMaterialShiftsAreTheShippedGatesDefaults() {
        java.nio.file.Path gates = java.nio.file.Path.of("..", "ci", "gates.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(gates), "ci/gates.yaml not beside the module");
        Map<String, GateThresholds.Limit> shipped = GateThresholds.load(gates).defaults();
        RunValidity.MATERIAL.forEach((p, limit) -> assertThat(limit).as("p" + p.intValue())
                .isEqualTo(shipped.get("p" + p.intValue())));
        assertThat(shipped.keySet()).as("every latency percentile the gate checks by default")
                .containsExactlyInAnyOrder("p50", "p90", "p99", GateThresholds.ERROR_RATE);
    }
}
