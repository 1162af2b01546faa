package dev.meshproof.agent.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The schedule arithmetic with a hand-driven clock: 1000 rps (one send due per ms), two warm-up sends. */
class LoadRecorderTest {
    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong();
    private final LoadRecorder recorder = new LoadRecorder(
            LoadSpec.of(URI.create("http://127.0.0.1:1/"), 1000, Duration.ofSeconds(1), 1).withWarmup(Duration.ofMillis(2)),
            null, null, now::get);

    private LoadRecorder.Send sendAt(double ms) {
        now.set(Math.round(ms * MS));
        return recorder.onSend();
    }

    private static void end(LoadRecorder r, LoadRecorder.Send s, double ms, LoadOutcome outcome) {
        r.onComplete(s, Math.round(ms * MS), outcome);
    }

    @Test
    void latencyRunsFromTheIntendedSendTimeAndEarlySendsMoveTheOriginInstead() {
        LoadRecorder.Send w0 = sendAt(100.0); // warm-up, fixes the origin at 100 ms
        sendAt(101.0);                        // warm-up
        LoadRecorder.Send late = sendAt(102.5);  // due at 102.0: 0.5 ms late
        LoadRecorder.Send onTime = sendAt(103.0); // due at 103.0
        LoadRecorder.Send early = sendAt(103.8);  // due at 104.0: early, so the origin moves to 99.8 and it is on time
        assertThat(late.intendedNanos()).isEqualTo(102 * MS);
        assertThat(onTime.intendedNanos()).isEqualTo(103 * MS);
        assertThat(early.intendedNanos()).isEqualTo(Math.round(103.8 * MS));

        end(recorder, w0, 100.5, LoadOutcome.OK);            // warm-up: neither recorded nor counted
        end(recorder, late, 103.0, LoadOutcome.OK);          // 1.0 ms from intended, 0.5 ms from actual send
        end(recorder, onTime, 103.2, LoadOutcome.OK);        // 0.2 ms
        end(recorder, early, 104.0, LoadOutcome.HTTP_ERROR); // counted, not a latency
        recorder.interval();

        Histogram latency = recorder.latencyTotal();
        assertThat(latency.getTotalCount()).isEqualTo(2);
        assertThat(latency.getMaxValue() / 1e6).isCloseTo(1.0, within(0.002));
        assertThat(latency.getMinValue() / 1e6).isCloseTo(0.2, within(0.001));
        assertThat(recorder.serviceTimeTotal().getMaxValue() / 1e6).as("from the actual send: hides the 0.5 ms").isCloseTo(0.5, within(0.001));
        Histogram lateness = recorder.latenessTotal();
        assertThat(lateness.getTotalCount()).as("measured sends only").isEqualTo(3);
        assertThat(lateness.getMaxValue() / 1e6).isCloseTo(0.5, within(0.001));
        assertThat(lateness.getMinValue()).isZero();

        assertThat(recorder.outcomeCounts()).containsEntry("ok", 2L).containsEntry("http_error", 1L).containsEntry("timeout", 0L);
        assertThat(recorder.errors()).isEqualTo(1);
        assertThat(recorder.sends()).isEqualTo(5);
        assertThat(recorder.measuredSends()).isEqualTo(3);
        assertThat(recorder.achievedRate()).as("2 intervals over 1.3 ms").isCloseTo(2 / 0.0013, within(1.0));
    }

    @Test
    void aGeneratorThatFallsBehindShowsItsDelayInEveryLatency() {
        sendAt(0);
        sendAt(1);
        // the generator stalls 50 ms: sends 2..6 all leave at 55 ms, and the server answers each in 0.1 ms
        for (int k = 2; k <= 6; k++) {
            LoadRecorder.Send s = sendAt(55);
            end(recorder, s, 55.1, LoadOutcome.OK);
        }
        LoadRecorder.Interval i = recorder.interval();
        Histogram latency = recorder.latencyTotal();
        assertThat(latency.getMinValue() / 1e6).as("the last one was due at 6 ms").isCloseTo(49.1, within(0.1));
        assertThat(latency.getMaxValue() / 1e6).as("the first one was due at 2 ms").isCloseTo(53.1, within(0.1));
        assertThat(recorder.serviceTimeTotal().getMaxValue() / 1e6).as("what a closed-loop view would report").isCloseTo(0.1, within(0.01));
        assertThat(i.p99Micros()).isGreaterThan(50_000);
    }
}
