package dev.meshproof.agent.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The constant-rate schedule the engine's virtual users work through: warm-up arrival {@code k} is due at
 * {@code start + k / rate}, {@code start} being the moment the first arrival was claimed, and measured
 * arrival {@code k} at {@code measuredStart + (k - warmup) / rate} ({@code origins} holds both). {@code measuredStart} is when the warm-up
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
 * <p>
 * Claims stop one {@code grace} (the request timeout) after the measured window's end by the schedule: an arrival
 * still unsent then would have timed out anyway. Arrivals not claimed by then are <em>unsent</em>, counted and
 * censored by {@link LoadRecorder#finish}, never silently dropped. So that a run stays bounded whatever the warm-up
 * backlog, claims also stop {@code limit} after the first claim (inside Gatling's {@code maxDuration}).
 */
final class ArrivalSchedule {
    /**
     * An origin not fixed yet. Large and positive, so that a window end computed from it lies beyond any real deadline
     * (the deadline needs no branch on it).
     */
    private static final long UNSET = Long.MAX_VALUE / 4;
    private static final int WARMUP = 0;
    private static final int MEASURED = 1;
    private final double intervalNanos;
    private final long total;
    private final long warmup;
    private final LongSupplier clock;
    private final AtomicLong next = new AtomicLong();
    /**
     * When arrival 0 is due ({@link #WARMUP}) and when the first measured arrival is due ({@link #MEASURED}). Indexed by
     * an arrival's phase rather than branched on, like {@link LoadRecorder}'s tracks: the warm-up then runs exactly the
     * code the measured window runs, so nothing is deoptimised at the window's start (see LoadRecorder.Track).
     */
    private final AtomicLongArray origins = new AtomicLongArray(new long[]{UNSET, UNSET});
    /** {@link #closedAt}'s value while claims are open. */
    private static final long OPEN = Long.MIN_VALUE;
    private final AtomicLong closedAt = new AtomicLong(OPEN);
    private final long graceNanos;
    private final long limitNanos;

    /**
     * {@code total} arrivals at {@code rate} per second, the first {@code warmup} of them warm-up, timed by
     * {@code clock} (ns, e.g. System::nanoTime); claims stop {@code graceNanos} after the measured window's end, and
     * {@code limitNanos} after the first claim at the latest.
     */
    ArrivalSchedule(double rate, long warmup, long total, long graceNanos, long limitNanos, LongSupplier clock) {
        if (!(rate > 0) || warmup < 0 || total < warmup || graceNanos < 0 || limitNanos <= 0) {
            throw new IllegalArgumentException("need rate > 0, 0 <= warmup <= total, grace >= 0 and limit > 0, got "
                    + rate + ", " + warmup + ", " + total + ", " + graceNanos + ", " + limitNanos);
        }
        this.intervalNanos = 1e9 / rate;
        this.total = total;
        this.warmup = warmup;
        this.graceNanos = graceNanos;
        this.limitNanos = limitNanos;
        this.clock = clock;
    }

    /** With no deadline to speak of (tests of the schedule's arithmetic). */
    ArrivalSchedule(double rate, long warmup, long total, LongSupplier clock) {
        this(rate, warmup, total, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, clock);
    }

    /**
     * The schedule of a spec: its warm-up and measured arrivals; claims end one request timeout after the measured
     * window, and within {@link LoadSpec#runLimit()} less that timeout and 5 s for the last answers to arrive.
     */
    static ArrivalSchedule of(LoadSpec spec) {
        long timeout = spec.requestTimeout().toNanos();
        return new ArrivalSchedule(spec.rate(), spec.warmupRequests(), spec.warmupRequests() + spec.measuredRequests(),
                timeout, spec.runLimit().toNanos() - timeout - 5_000_000_000L, System::nanoTime);
    }

    /**
     * The next unclaimed arrival number, or -1 once all {@code total} are claimed or the deadline has passed. The
     * first claim starts the clock; the first measured claim fixes the measured window's origin.
     */
    long claim() {
        long now = clock.getAsLong();
        if (origins.get(WARMUP) == UNSET) {
            origins.compareAndSet(WARMUP, UNSET, now);
        }
        if (closedAt.get() != OPEN) {
            return -1;
        }
        if (now > deadline()) {
            closedAt.compareAndSet(OPEN, now);
            return -1;
        }
        long k = next.getAndIncrement();
        // fixes the measured origin at the first measured claim; in the warm-up it tries the already fixed warm-up origin
        origins.compareAndSet(phase(k), UNSET, measuredOrigin(now));
        return k < total ? k : -1;
    }

    /** 1 ({@link #MEASURED}) for a measured arrival, 0 for a warm-up one, computed without a branch. */
    private int phase(long k) {
        return (int) ((warmup - 1 - k) >>> 63);
    }

    /** The measured window's origin if it is fixed at {@code now}: its nominal start, or now if the generator is behind. */
    private long measuredOrigin(long now) {
        return Math.max(nominalMeasuredStart(), now);
    }

    /** When the measured window opens by the schedule alone. */
    private long nominalMeasuredStart() {
        return origins.get(WARMUP) + Math.round(warmup * intervalNanos);
    }

    /**
     * The measured window's origin: when the first measured arrival was claimed, or its nominal time if later (a
     * warm-up backlog is worked off before the window opens); fixed once, by whoever asks first.
     */
    private long measuredStart() {
        long m = origins.get(MEASURED);
        if (m == UNSET) {
            origins.compareAndSet(MEASURED, UNSET, measuredOrigin(clock.getAsLong()));
            m = origins.get(MEASURED);
        }
        return m;
    }

    /** The moment claims stop: the measured window's end plus the grace, or the limit if that comes first. */
    private long deadline() {
        long byLimit = origins.get(WARMUP) + limitNanos;
        // an unset measured origin is far in the future, so the window's end is too, and the limit decides
        return Math.min(byLimit, origins.get(MEASURED) + Math.round((total - warmup) * intervalNanos) + graceNanos);
    }

    /** True once the first arrival was claimed (the schedule's clock has started). */
    boolean started() {
        return origins.get(WARMUP) != UNSET;
    }

    /** Arrivals handed out (at most {@code total}). */
    long claimed() {
        return Math.min(next.get(), total);
    }

    /** When claims stopped at the deadline (ns), or {@link Long#MIN_VALUE} if they ran out normally. */
    long closedAtNanos() {
        return closedAt.get();
    }

    /** True when claims stopped at the deadline rather than by running out. */
    boolean closedEarly() {
        return closedAt.get() != OPEN;
    }

    /**
     * How far the measured window was moved past its nominal start to let a warm-up backlog clear (ns; 0 on schedule).
     * Fixes the window at its nominal start if no measured arrival was ever claimed, so every arrival has a due time.
     */
    long rebaseNanos() {
        if (!started() || warmup >= total) {
            return 0;
        }
        origins.compareAndSet(MEASURED, UNSET, nominalMeasuredStart());
        return origins.get(MEASURED) - nominalMeasuredStart();
    }

    /** When arrival {@code k} is due (ns on the schedule's clock). */
    long intendedNanos(long k) {
        if (!started()) {
            throw new IllegalStateException("no arrival claimed yet");
        }
        int phase = phase(k);
        long origin = origins.get(phase);
        if (origin == UNSET) { // a measured arrival asked for before the claim that fixes the window finished
            origin = measuredStart();
        }
        return origin + Math.round((k - phase * warmup) * intervalNanos);
    }

    /** Whole milliseconds to pause before sending arrival {@code k}: the wait until it is due, rounded down; 0 when due within 1 ms or overdue. */
    long pauseMillis(long k) {
        return Math.max(0, intendedNanos(k) - clock.getAsLong()) / 1_000_000;
    }

    long total() {
        return total;
    }
}
