package dev.meshproof.agent.load;

import dev.meshproof.agent.call.Outcome;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The recorder's arithmetic with a hand-driven clock: 1000 rps (arrival k due at k ms), two warm-up sends. */
class LoadRecorderTest {
    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong();
    private final LoadRecorder recorder = new LoadRecorder(
            LoadSpec.of(URI.create("http://127.0.0.1:1/"), 1000, Duration.ofSeconds(1), 1).withWarmup(Duration.ofMillis(2)),
            null, null, now::get);

    private long next;

    /** Sends the next arrival (due at k ms) at {@code ms}. */
    private LoadRecorder.Send sendAt(double ms) {
        now.set(Math.round(ms * MS));
        long k = next++;
        return recorder.onSend(k, k * MS);
    }

    private static void end(LoadRecorder r, LoadRecorder.Send s, double ms, Outcome outcome) {
        r.onComplete(s, Math.round(ms * MS), outcome);
    }

    @Test
    void latencyRunsFromTheIntendedSendTimeAndAnEarlySendFromItsActualSend() {
        LoadRecorder.Send w0 = sendAt(0.0);   // warm-up
        sendAt(1.0);                          // warm-up
        LoadRecorder.Send late = sendAt(2.5);   // due at 2.0: 0.5 ms late
        LoadRecorder.Send onTime = sendAt(3.0); // due at 3.0
        LoadRecorder.Send early = sendAt(3.8);  // due at 4.0: sent early, so its clock starts at 3.8
        assertThat(late.intendedNanos()).isEqualTo(2 * MS);
        assertThat(onTime.intendedNanos()).isEqualTo(3 * MS);
        assertThat(early.intendedNanos()).isEqualTo(Math.round(3.8 * MS));

        end(recorder, w0, 0.5, Outcome.OK);            // warm-up: neither recorded nor counted
        end(recorder, late, 3.0, Outcome.OK);          // 1.0 ms from intended, 0.5 ms from actual send
        end(recorder, onTime, 3.2, Outcome.OK);        // 0.2 ms
        end(recorder, early, 4.0, Outcome.HTTP_ERROR); // counted, not a latency
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
        Histogram earliness = recorder.earlinessTotal();
        assertThat(earliness.getTotalCount()).as("one send left early").isEqualTo(1);
        assertThat(earliness.getMaxValue() / 1e6).as("by 0.2 ms").isCloseTo(0.2, within(0.001));
        Histogram all = recorder.allLatencyTotal();
        assertThat(all.getTotalCount()).as("ok and failed alike").isEqualTo(3);
        assertThat(all.getMaxValue() / 1e6).isCloseTo(1.0, within(0.002));

        assertThat(recorder.outcomeCounts()).containsEntry("ok", 2L).containsEntry("http_error", 1L).containsEntry("timeout", 0L);
        assertThat(recorder.errors()).isEqualTo(1);
        assertThat(recorder.sends()).isEqualTo(5);
        assertThat(recorder.measuredSends()).isEqualTo(3);
        assertThat(recorder.achievedRate()).as("2 intervals over 1.3 ms").isCloseTo(2 / 0.0013, within(1.0));
    }

    @Test
    void warmUpArrivalsGoThroughTheSameCodeButNothingOfThemIsMeasured() {
        // a warm-up request that fails, one that is very late, and one still unanswered when the run ends: the warm-up
        // is recorded like the measured window (so it compiles the same code), but into a track nothing reads
        LoadRecorder.Send failed = sendAt(0.0);
        LoadRecorder.Send stuck = sendAt(40.0);
        end(recorder, failed, 9.0, Outcome.TIMEOUT);
        LoadRecorder.Send measured = sendAt(2.0);
        end(recorder, measured, 2.1, Outcome.OK);
        recorder.finish(new ArrivalSchedule(1000, 2, 1002, now::get)); // never claimed from: the 999 unsent are censored at 0
        recorder.interval();

        assertThat(recorder.outcomeCounts()).containsEntry("ok", 1L).containsEntry("timeout", 0L);
        assertThat(recorder.errors()).isZero();
        assertThat(recorder.inFlightAtEnd()).as("the unanswered warm-up request is not censored").isZero();
        assertThat(recorder.latencyTotal().getTotalCount()).isEqualTo(1);
        assertThat(recorder.latenessTotal().getMaxValue()).as("the 40 ms late warm-up send is not lateness").isZero();
        assertThat(recorder.allLatencyTotal().getMaxValue() / 1e6).isCloseTo(0.1, within(0.001));
        assertThat(recorder.measuredSends()).isEqualTo(1);
        assertThat(stuck.measured(2)).isFalse();
    }

    @Test
    void whatNeverEndedIsCensoredAtTheEndAndCountedNotDropped() {
        // the recorder's spec plans 1000 measured arrivals; a schedule of 2 warm-up + 1000, grace 5 ms
        ArrivalSchedule schedule = new ArrivalSchedule(1000, 2, 1002, 5 * MS, 10_000 * MS, now::get);
        for (int k = 0; k < 4; k++) {
            now.set(k * MS);
            assertThat(schedule.claim()).isEqualTo(k);
        }
        now.set(0);
        next = 0;
        sendAt(0);
        sendAt(1);
        LoadRecorder.Send failed = sendAt(2);   // due at 2 ms
        LoadRecorder.Send stuck = sendAt(3);    // due at 3 ms, never answered
        end(recorder, failed, 7, Outcome.TIMEOUT);
        now.set(1010 * MS); // past the deadline (2 + 1000 + 5 ms): claims stop, 998 arrivals were never sent
        assertThat(schedule.claim()).isEqualTo(-1);
        recorder.finish(schedule);
        recorder.interval();

        assertThat(recorder.planned()).isEqualTo(1000);
        assertThat(recorder.completed()).isEqualTo(1);
        assertThat(recorder.unsent()).isEqualTo(998);
        assertThat(recorder.inFlightAtEnd()).isEqualTo(1);
        assertThat(recorder.completed() + recorder.unsent() + recorder.inFlightAtEnd()).isEqualTo(recorder.planned());
        Histogram all = recorder.allLatencyTotal();
        assertThat(all.getTotalCount()).as("every planned arrival has a value").isEqualTo(1000);
        assertThat(all.getCountBetweenValues(4_990_000, 5_010_000)).as("the timeout at its time to failure").isEqualTo(1);
        assertThat(all.getCountBetweenValues(8_990_000, 9_010_000)).as("the last unsent arrival, due at 1001 ms, given up at 1010 ms")
                .isEqualTo(1);
        assertThat(all.getCountBetweenValues(0, 8_990_000)).as("nothing else below").isEqualTo(1);
        assertThat(all.getMaxValue() / 1e6).as("the unanswered one, due at 3 ms, censored at 1010 ms").isCloseTo(1007, within(1.0));
        assertThat(recorder.latencyTotal().getTotalCount()).as("success-only: none").isZero();
    }

    @Test
    void aRunThatNeverStartedHasEveryArrivalUnsent() {
        recorder.finish(new ArrivalSchedule(1000, 2, 1002, 5 * MS, 10_000 * MS, now::get));
        recorder.interval();
        assertThat(recorder.unsent()).isEqualTo(1000);
        assertThat(recorder.allLatencyTotal().getTotalCount()).isEqualTo(1000);
    }

    @Test
    void aGeneratorThatFallsBehindShowsItsDelayInEveryLatency() {
        sendAt(0);
        sendAt(1);
        // the generator stalls 50 ms: sends 2..6 all leave at 55 ms, and the server answers each in 0.1 ms
        for (int k = 2; k <= 6; k++) {
            LoadRecorder.Send s = sendAt(55);
            end(recorder, s, 55.1, Outcome.OK);
        }
        LoadRecorder.Interval i = recorder.interval();
        Histogram latency = recorder.latencyTotal();
        assertThat(latency.getMinValue() / 1e6).as("the last one was due at 6 ms").isCloseTo(49.1, within(0.1));
        assertThat(latency.getMaxValue() / 1e6).as("the first one was due at 2 ms").isCloseTo(53.1, within(0.1));
        assertThat(recorder.serviceTimeTotal().getMaxValue() / 1e6).as("what a closed-loop view would report").isCloseTo(0.1, within(0.01));
        assertThat(i.p99Micros()).isGreaterThan(50_000);
    }

    @Test
    void aProgressSummaryLogsNoIntervalOfItsOwn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // the engine's progress lines come from summary(): they must not add short intervals between the one-second ones
        java.nio.file.Path log = dir.resolve("latency.hlog");
        LoadRecorder logging = new LoadRecorder(
                LoadSpec.of(URI.create("http://127.0.0.1:1/"), 1000, Duration.ofSeconds(1), 1).withWarmup(Duration.ZERO),
                log, dir.resolve("lateness.hlog"), now::get);
        LoadRecorder.Send s = logging.onSend(0, 0);
        logging.onComplete(s, MS, Outcome.OK);
        logging.logInterval();
        LoadRecorder.Interval progress = logging.summary();
        logging.close();

        assertThat(progress.latencyCount()).isEqualTo(1);
        org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(log.toFile());
        int intervals = 0;
        while (reader.nextIntervalHistogram() != null) {
            intervals++;
        }
        assertThat(intervals).as("one logged second: its success-only and all-request histograms").isEqualTo(2);
    }

    @Test
    void eachLoggedIntervalHasItsSuccessAndAllRequestHistogramsAndProgressSummarisesSeveral(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("latency.hlog");
        LoadRecorder logging = new LoadRecorder(
                LoadSpec.of(URI.create("http://127.0.0.1:1/"), 1000, Duration.ofSeconds(1), 1).withWarmup(Duration.ZERO),
                log, dir.resolve("lateness.hlog"), now::get);
        for (int second = 0; second < 3; second++) {
            now.set(second * 1000 * MS);
            LoadRecorder.Send ok = logging.onSend(2L * second, second * 1000 * MS);
            LoadRecorder.Send failed = logging.onSend(2L * second + 1, second * 1000 * MS);
            logging.onComplete(ok, second * 1000 * MS + (second + 1) * MS, Outcome.OK);
            logging.onComplete(failed, second * 1000 * MS + 50 * MS, Outcome.TIMEOUT);
            logging.logInterval();
        }
        LoadRecorder.Interval progress = logging.interval();
        logging.close();

        assertThat(progress.latencyCount()).as("the progress line covers the three logged seconds").isEqualTo(3);
        org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(log.toFile());
        java.util.List<Histogram> ok = new java.util.ArrayList<>();
        java.util.List<Histogram> all = new java.util.ArrayList<>();
        for (org.HdrHistogram.EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
            (LoadRecorder.ALL_REQUESTS_TAG.equals(e.getTag()) ? all : ok).add((Histogram) e);
        }
        assertThat(ok).hasSize(4); // three seconds and the progress call's (empty) interval
        assertThat(all).hasSize(4);
        for (int second = 0; second < 3; second++) {
            assertThat(ok.get(second).getTotalCount()).isEqualTo(1);
            assertThat(ok.get(second).getMaxValue() / 1e6).isCloseTo(second + 1, within(0.01));
            assertThat(all.get(second).getTotalCount()).as("the timeout is in the all-request interval").isEqualTo(2);
            assertThat(all.get(second).getMaxValue() / 1e6).isCloseTo(50, within(0.1));
        }
    }
}
