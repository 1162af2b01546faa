package dev.meshproof.agent.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The constant-rate schedule the engine's virtual users work through: warm-up arrival {@code k} is due at
 * {@code start + k / rate}, {@code start} being the moment the first arrival was claimed, and measured
 * arrival {@code k} at {@code measuredStart + (k - warmup) / rate}. {@code measuredStart} is when the warm-up
 * ends by the schedule, or later if the generator is still behind then (a cold JIT): a warm-up backlog is
 * worked off before the measured window starts instead of counting as its lateness. From there on every
 * delay counts. A free user
 * {@link #claim() claims} the next arrival, pauses {@link #pauseMillis(long)} and sends it. Gatling pauses in
 * whole milliseconds; the wait is rounded down, so a send leaves up to 1 ms before it is due rather than up to
 * 1 ms (plus the timer's slack) after: an early send's latency counts from its actual send
 * ({@link LoadRecorder#onSend}), so rounding adds nothing to any latency, while rounding up would add its
 * 0-1 ms to every one. When every user is busy, due arrivals wait: they leave late,
 * and because latency is measured from {@link #intendedNanos(long)}, that wait is in their latency
 * (coordinated-omission safe, wrk2's model), and in the reported lateness.
 */
final class ArrivalSchedule {
    private static final long UNSET = Long.MIN_VALUE;
    private final double intervalNanos;
    private final long total;
    private final long warmup;
    private final LongSupplier clock;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong start = new AtomicLong(UNSET);
    private final AtomicLong measuredStart = new AtomicLong(UNSET);

    /**
     * {@code total} arrivals at {@code rate} per second, the first {@code warmup} of them warm-up, timed by
     * {@code clock} (ns, e.g. System::nanoTime).
     */
    ArrivalSchedule(double rate, long warmup, long total, LongSupplier clock) {
        if (!(rate > 0) || warmup < 0 || total < warmup) {
            throw new IllegalArgumentException("need rate > 0 and 0 <= warmup <= total, got " + rate + ", " + warmup + ", " + total);
        }
        this.intervalNanos = 1e9 / rate;
        this.total = total;
        this.warmup = warmup;
        this.clock = clock;
    }

    /** The schedule of a spec: its warm-up and measured arrivals. */
    static ArrivalSchedule of(LoadSpec spec) {
        return new ArrivalSchedule(spec.rate(), spec.warmupRequests(), spec.warmupRequests() + spec.measuredRequests(), System::nanoTime);
    }

    /** The next unclaimed arrival number, or -1 once all {@code total} are claimed. The first claim starts the clock. */
    long claim() {
        if (start.get() == UNSET) {
            start.compareAndSet(UNSET, clock.getAsLong());
        }
        long k = next.getAndIncrement();
        if (k == warmup && k < total) {
            startMeasuredWindow();
        }
        return k < total ? k : -1;
    }

    /** Fixed once, by the claim of the first measured arrival (or whoever asks for its time first). */
    private long startMeasuredWindow() {
        long nominal = start.get() + Math.round(warmup * intervalNanos);
        measuredStart.compareAndSet(UNSET, warmup == 0 ? nominal : Math.max(nominal, clock.getAsLong()));
        return measuredStart.get();
    }

    /** When arrival {@code k} is due (ns on the schedule's clock). */
    long intendedNanos(long k) {
        long s = start.get();
        if (s == UNSET) {
            throw new IllegalStateException("no arrival claimed yet");
        }
        if (k < warmup) {
            return s + Math.round(k * intervalNanos);
        }
        long m = measuredStart.get();
        return (m == UNSET ? startMeasuredWindow() : m) + Math.round((k - warmup) * intervalNanos);
    }

    /** Whole milliseconds to pause before sending arrival {@code k}: the wait until it is due, rounded down; 0 when due within 1 ms or overdue. */
    long pauseMillis(long k) {
        long wait = intendedNanos(k) - clock.getAsLong();
        return wait <= 0 ? 0 : wait / 1_000_000;
    }

    long total() {
        return total;
    }
}
