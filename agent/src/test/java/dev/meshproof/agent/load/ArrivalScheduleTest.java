package dev.meshproof.agent.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The constant-rate schedule the looping virtual users share, with a hand-driven clock (ns). */
class ArrivalScheduleTest {
    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong(500 * MS);

    @Test
    void arrivalKIsDueAtTheFirstClaimPlusKOverTheRate() {
        ArrivalSchedule s = new ArrivalSchedule(4000, 0, 10, now::get); // one every 0.25 ms
        assertThat(s.claim()).isZero();
        now.addAndGet(7 * MS); // later claims do not move the start
        assertThat(s.claim()).isEqualTo(1);
        assertThat(s.intendedNanos(0)).isEqualTo(500 * MS);
        assertThat(s.intendedNanos(1)).isEqualTo(500 * MS + 250_000);
        assertThat(s.intendedNanos(9)).isEqualTo(500 * MS + 2_250_000);
    }

    @Test
    void onScheduleTheMeasuredArrivalsContinueTheWarmupSchedule() {
        ArrivalSchedule s = new ArrivalSchedule(1000, 3, 10, now::get); // 3 warm-up arrivals, one per ms
        for (int k = 0; k < 3; k++) {
            assertThat(s.claim()).isEqualTo(k);
        }
        now.addAndGet(1_500_000); // arrival 3 claimed 1.5 ms in: before it is due at 3 ms
        assertThat(s.claim()).isEqualTo(3);
        assertThat(s.intendedNanos(3)).isEqualTo(503 * MS);
        assertThat(s.intendedNanos(9)).isEqualTo(509 * MS);
    }

    @Test
    void aWarmupBacklogIsWorkedOffBeforeTheMeasuredWindowStarts() {
        ArrivalSchedule s = new ArrivalSchedule(1000, 3, 10, now::get);
        for (int k = 0; k < 3; k++) {
            s.claim();
        }
        now.addAndGet(40 * MS); // a cold generator: the first measured arrival is claimed 37 ms after it was due
        assertThat(s.claim()).isEqualTo(3);
        assertThat(s.intendedNanos(2)).as("warm-up stays on its schedule").isEqualTo(502 * MS);
        assertThat(s.intendedNanos(3)).as("the measured window starts now").isEqualTo(540 * MS);
        assertThat(s.intendedNanos(4)).isEqualTo(541 * MS);
        now.addAndGet(5 * MS); // from here on, falling behind counts
        assertThat(s.pauseMillis(4)).isZero();
    }

    @Test
    void thePauseIsTheWaitRoundedDownToWholeMilliseconds() {
        ArrivalSchedule s = new ArrivalSchedule(100, 0, 10, now::get); // one every 10 ms
        s.claim();
        assertThat(s.pauseMillis(0)).as("due now").isZero();
        assertThat(s.pauseMillis(1)).isEqualTo(10);
        now.addAndGet(100_000); // 9.9 ms to go: pause 9, leave up to 1 ms early
        assertThat(s.pauseMillis(1)).isEqualTo(9);
        now.addAndGet(9 * MS); // 0.9 ms to go: send now
        assertThat(s.pauseMillis(1)).isZero();
        now.addAndGet(5 * MS); // overdue by 4.1 ms: send at once (the lateness is measured, not waited off)
        assertThat(s.pauseMillis(1)).isZero();
    }

    @Test
    void everyArrivalIsClaimedExactlyOnceAcrossUsersThenClaimsEnd() throws Exception {
        ArrivalSchedule s = new ArrivalSchedule(1000, 5_000, 20_000, System::nanoTime);
        ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        ExecutorService users = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int u = 0; u < 4; u++) {
                done.add(users.submit(() -> {
                    for (long k = s.claim(); k >= 0; k = s.claim()) {
                        assertThat(seen.putIfAbsent(k, true)).as("arrival %d claimed twice", k).isNull();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            users.shutdownNow();
        }
        assertThat(seen).hasSize(20_000);
        assertThat(seen.keySet()).allMatch(k -> k >= 0 && k < 20_000);
        assertThat(s.claim()).isEqualTo(-1);
    }

    @Test
    void claimsStopOneGraceAfterTheMeasuredWindowAndTheRestIsUnsent() {
        // 1000 rps, 2 warm-up + 8 measured arrivals (window 8 ms), grace 3 ms: claims end at 2 + 8 + 3 = 13 ms
        ArrivalSchedule s = new ArrivalSchedule(1000, 2, 10, 3 * MS, 1000 * MS, now::get);
        assertThat(s.claim()).isZero();
        assertThat(s.claim()).isEqualTo(1);
        assertThat(s.claim()).isEqualTo(2);
        now.addAndGet(13 * MS); // a target so slow that only arrival 3 gets out before the deadline
        assertThat(s.claim()).isEqualTo(3);
        now.addAndGet(1);
        assertThat(s.claim()).as("past the deadline").isEqualTo(-1);
        assertThat(s.claim()).isEqualTo(-1);
        assertThat(s.claimed()).isEqualTo(4);
        assertThat(s.closedEarly()).isTrue();
        assertThat(s.closedAtNanos()).isEqualTo(513 * MS + 1);
        assertThat(s.rebaseNanos()).as("the window opened on schedule").isZero();
    }

    @Test
    void theLimitBoundsTheRunWhateverTheWarmupBacklogAndTheRebaseIsReported() {
        ArrivalSchedule s = new ArrivalSchedule(1000, 2, 10, 3 * MS, 30 * MS, now::get);
        s.claim();
        s.claim();
        now.addAndGet(20 * MS); // the first measured arrival, due at 2 ms, is claimed at 20 ms: the window moves 18 ms
        assertThat(s.claim()).isEqualTo(2);
        assertThat(s.rebaseNanos()).isEqualTo(18 * MS);
        now.addAndGet(10 * MS + 1); // 30 ms after the first claim: the limit, before the window's end + grace (41 ms)
        assertThat(s.claim()).isEqualTo(-1);
    }

    @Test
    void aWindowThatNeverOpenedIsFixedAtItsNominalStart() {
        ArrivalSchedule s = new ArrivalSchedule(1000, 5, 10, 0, 2 * MS, now::get);
        s.claim();
        now.addAndGet(3 * MS);
        assertThat(s.claim()).isEqualTo(-1);
        assertThat(s.rebaseNanos()).isZero();
        assertThat(s.intendedNanos(9)).isEqualTo(509 * MS);
    }

    @Test
    void noTimeBeforeTheFirstClaimAndNoNonsenseRates() {
        assertThatThrownBy(() -> new ArrivalSchedule(100, 0, 1, now::get).intendedNanos(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(0, 0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(10, 5, 4, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
