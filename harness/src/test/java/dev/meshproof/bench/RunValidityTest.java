package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.PauseDetector;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When a repetition stops measuring the target: each rule on its own, at 1000 rps with 1000 planned requests. */
class RunValidityTest {

    /** 1000 planned; latencies of 1 ms (all requests), lateness {@code latenessUs} for every send. */
    private static LoadResult run(long unsent, long inFlight, double achieved, double latenessUs) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(1_000_000, 1000);
        Histogram lateness = new Histogram(3);
        lateness.recordValueWithCount(Math.round(latenessUs * 1000), 1000 - unsent);
        String l = LoadResult.encode(latency);
        return new LoadResult("t", 1000, achieved, 1, 1000, 1000 - unsent, 1000 - unsent - inFlight, unsent, inFlight, 0, 0,
                Map.of(), l, l, LoadResult.encode(lateness), LoadResult.encode(new Histogram(3)), l,
                new PauseDetector.Pauses(1, 1, 0, 0, 0), 0, null);
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
    void latenessThatIsAMaterialShareOfTheLatencyMakesItInvalid() {
        // 300 µs of every 1 ms: a quarter or more, at p50 and p99 alike
        assertThat(RunValidity.reasons(run(0, 0, 1000, 300))).containsExactly(
                "generator lateness p50 300 µs is 30 % of the latency p50 1000 µs (the client's own delay, not the target's)",
                "generator lateness p99 300 µs is 30 % of the latency p99 1000 µs (the client's own delay, not the target's)");
        assertThat(RunValidity.reasons(run(0, 0, 1000, 240))).as("under a quarter").isEmpty();
    }
}
