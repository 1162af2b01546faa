package dev.meshproof.agent.load;

import dev.meshproof.agent.call.Outcome;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The measurement side of a load run. Gatling decides when each request goes out; this class decides
 * when it <em>should</em> have gone out and measures from there, in nanoseconds, into HdrHistogram.
 * <p>
 * Intended send time: arrival number {@code k} is due at {@link ArrivalSchedule#intendedNanos(long)}
 * ({@code start + k / rate}); the engine's virtual users wait until then and send. Every delay of the
 * generator (all users busy, the event loop's timer, a JVM pause) therefore shows up as lateness and as
 * latency: coordinated-omission safe in the sense of wrk2.
 * <p>
 * Latency of a request = response received − intended send. Two histograms: {@code ok} outcomes only
 * (success latency), and every measured arrival (all-request latency): a failed request at its time to failure
 * (a timeout at least the timeout), and, when the run ends, every arrival never sent or never answered
 * <em>censored</em> at the moment the run gave up on it minus its due time, a lower bound of what it would have
 * been. So nothing planned is dropped: the all-request histogram holds exactly {@link LoadSpec#measuredRequests()}
 * values, and completed + unsent + in flight at the end = planned. Every outcome is counted. Arrivals numbered
 * below {@link LoadSpec#warmupRequests()} are warm-up: sent, and recorded by the same code into a track nothing reads
 * ({@link Track}), so they count nowhere.
 * <p>
 * Send offsets are signed: a send that left after its due time adds its lateness to the latency; one that left
 * before it (Gatling's pause is in whole milliseconds, rounded down) is timed from its actual send and its
 * earliness recorded apart, so the pacing's burstiness is visible rather than recorded as lateness 0.
 */
public final class LoadRecorder implements Closeable {
    private final LoadSpec spec;
    private final java.util.function.LongSupplier clock;
    private final long warmupRequests;
    private final AtomicLong sequence = new AtomicLong();
    private final Track warmup = new Track();
    private final Track measured = new Track();
    private final Track[] tracks = {warmup, measured};
    private final Histogram allLatencyTotal = new Histogram(3);
    private final Histogram earlinessTotal = new Histogram(3);
    private final AtomicLong censoredUnsent = new AtomicLong();
    private final AtomicLong censoredInFlight = new AtomicLong();
    private final Histogram serviceTimeTotal = new Histogram(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Histogram latenessTotal = new Histogram(3);
    private final HistogramLogWriter latencyLog;
    private final HistogramLogWriter latenessLog;
    private final AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
    private long lastIntervalSends;
    private long lastIntervalNanos = Long.MAX_VALUE;
    private Histogram intervalLatency;
    private Histogram intervalLateness;
    private Histogram intervalServiceTime;
    private Histogram intervalAllLatency;
    private Histogram intervalEarliness;
    private final Histogram sinceProgress = new Histogram(3);

    /** How often interval histograms are logged (progress lines may be rarer): the unit of the within-run bootstrap. */
    public static final java.time.Duration LOG_INTERVAL = java.time.Duration.ofSeconds(1);
    /** The tag of the all-request interval histograms in {@code latency.hlog} (untagged ones are successes only). */
    public static final String ALL_REQUESTS_TAG = "all";

    /** One arrival: its sequence number and the time it was due. */
    public record Send(long sequence, long intendedNanos, long actualNanos) {
        public boolean measured(long warmupRequests) {
            return sequence >= warmupRequests;
        }
    }

    /**
     * Everything recorded about one class of arrivals. Warm-up arrivals are recorded exactly as measured ones, into a
     * track of their own that nothing reads, so the warm-up runs (and the JIT compiles) the very code the measured window
     * runs. When the measured path was first taken at the window's start, the JVM deoptimised the engine's compiled code
     * there (JFR {@code jdk.Deoptimization}: unstable-if and class-check traps in this recorder and the schedule, all
     * within 5 ms of the boundary), and recompiling it showed as a burst of generator lateness: 100-300 ms at 12 000 rps.
     */
    private static final class Track {
        final Recorder latency = new Recorder(3);
        final Recorder lateness = new Recorder(3);
        final Recorder serviceTime = new Recorder(3);
        final Recorder allLatency = new Recorder(3);
        final Recorder earliness = new Recorder(3);
        final Set<Send> inFlight = ConcurrentHashMap.newKeySet();
        final AtomicLong lastCompletion = new AtomicLong(Long.MIN_VALUE);
        final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
        final LongAdder sends = new LongAdder();
        final AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastSend = new AtomicLong(Long.MIN_VALUE);

        Track() {
            for (int i = 0; i < outcomes.length; i++) {
                outcomes[i] = new LongAdder();
            }
        }
    }

    /** Arrival k's track, chosen without a branch that flips at the window's start: measured once k >= warmupRequests. */
    private Track track(long k) {
        return tracks[(int) ((warmupRequests - 1 - k) >>> 63)];
    }

    /** What the recorder saw in one progress interval. */
    /** {@code p99Micros} is 0 when the interval recorded no latency. */
    public record Interval(double elapsedSeconds, double achievedRate, long latencyCount, double p99Micros,
                           long errors, boolean warmingUp) {
    }

    /**
     * @param latencyLogFile  HdrHistogram interval log of latencies (ns), or null for none
     * @param latenessLogFile HdrHistogram interval log of send lateness (ns), or null for none
     */
    public LoadRecorder(LoadSpec spec, Path latencyLogFile, Path latenessLogFile) {
        this(spec, latencyLogFile, latenessLogFile, System::nanoTime);
    }

    /** With an explicit clock (ns), so the schedule arithmetic can be tested with chosen send times. */
    LoadRecorder(LoadSpec spec, Path latencyLogFile, Path latenessLogFile, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.spec = spec;
        this.warmupRequests = spec.warmupRequests();
        this.latencyLog = openLog(latencyLogFile);
        this.latenessLog = openLog(latenessLogFile);
    }

    private static HistogramLogWriter openLog(Path file) {
        if (file == null) {
            return null;
        }
        try {
            HistogramLogWriter w = new HistogramLogWriter(file.toFile());
            w.outputComment("Meshproof load engine; values in nanoseconds");
            w.outputLogFormatVersion();
            w.outputStartTime(System.currentTimeMillis());
            w.setBaseTime(System.currentTimeMillis());
            w.outputLegend();
            return w;
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot write histogram log " + file, e);
        }
    }

    /**
     * Called the moment arrival {@code k}, due at {@code intendedNanos}, is handed to Gatling to send. When it
     * leaves before it is due (up to 1 ms: Gatling pauses in whole ms), its latency counts from the actual send.
     */
    public Send onSend(long k, long intendedNanos) {
        sequence.incrementAndGet();
        long now = clock.getAsLong();
        if (firstSend.get() == Long.MAX_VALUE) {
            firstSend.accumulateAndGet(now, Math::min);
        }
        long intended = Math.min(intendedNanos, now);
        Send send = new Send(k, intended, now);
        Track t = track(k);
        t.lateness.recordValue(now - intended);
        if (intendedNanos > now) {
            t.earliness.recordValue(intendedNanos - now);
        }
        t.inFlight.add(send);
        t.sends.increment();
        // read before writing: at tens of thousands of sends per second, event loops need not contend on these
        if (now < t.firstSend.get()) {
            t.firstSend.accumulateAndGet(now, Math::min);
        }
        if (now > t.lastSend.get()) {
            t.lastSend.accumulateAndGet(now, Math::max);
        }
        return send;
    }

    /** Called when the request ended, {@code endNanos} being when its response (or failure) arrived. */
    public void onComplete(Send send, long endNanos, Outcome outcome) {
        Track t = track(send.sequence());
        t.inFlight.remove(send);
        t.outcomes[outcome.ordinal()].increment();
        if (endNanos > t.lastCompletion.get()) {
            t.lastCompletion.accumulateAndGet(endNanos, Math::max);
        }
        long latency = Math.max(0, endNanos - send.intendedNanos());
        t.allLatency.recordValue(latency);
        if (outcome == Outcome.OK) {
            t.latency.recordValue(latency);
            t.serviceTime.recordValue(Math.max(0, endNanos - send.actualNanos()));
        }
    }

    /**
     * Called once the load has stopped: censors what never ended into the all-request histogram. The arrivals not
     * sent are the schedule's last ones (claims are handed out in order; when Gatling's backstop cuts a run, the at
     * most {@code connections} claimed but still pausing are the latest claimed, so this is exact up to their order);
     * each is censored at the moment claims stopped (or the last activity) minus its due time. Requests sent but
     * unanswered are censored at the last activity seen minus their due time. Then call {@link #interval()}.
     */
    void finish(ArrivalSchedule schedule) {
        schedule.rebaseNanos(); // fixes the measured window if it never opened, so every arrival has a due time
        long end = Math.max(measured.lastCompletion.get(), measured.lastSend.get());
        long gaveUp = schedule.closedEarly() ? schedule.closedAtNanos() : end;
        long unsent = spec.measuredRequests() - measured.sends.sum();
        for (long k = schedule.total() - unsent; k < schedule.total(); k++) {
            // a schedule never started (Gatling ran no user) gives its arrivals no due time: 0, the only lower bound
            measured.allLatency.recordValue(schedule.started() ? Math.max(0, gaveUp - schedule.intendedNanos(k)) : 0);
        }
        censoredUnsent.set(Math.max(0, unsent));
        long atEnd = Math.max(end, gaveUp);
        for (Send s : measured.inFlight) {
            if (measured.inFlight.remove(s)) {
                measured.allLatency.recordValue(Math.max(0, atEnd - s.intendedNanos()));
                censoredInFlight.incrementAndGet();
            }
        }
    }

    /** Measured arrivals the schedule planned. */
    public long planned() {
        return spec.measuredRequests();
    }

    /** Planned arrivals never sent (censored in the all-request histogram); known after {@link #finish}. */
    public long unsent() {
        return censoredUnsent.get();
    }

    /** Measured requests sent but not answered when the run stopped (censored likewise); known after {@link #finish}. */
    public long inFlightAtEnd() {
        return censoredInFlight.get();
    }

    /** Measured requests that ended, any outcome. */
    public long completed() {
        long sum = 0;
        for (LongAdder a : measured.outcomes) {
            sum += a.sum();
        }
        return sum;
    }

    /**
     * Moves what was recorded since the last call into the totals and the logs: one interval histogram of successful
     * latencies (untagged, as before) and one of all requests (tag {@value #ALL_REQUESTS_TAG}) in {@code latency.hlog}.
     * Called every {@link #LOG_INTERVAL} so one run leaves enough consecutive intervals for a within-run block bootstrap
     * (60 for a 60 s window); progress lines ({@link #interval()}) summarise several of them.
     */
    public synchronized void logInterval() {
        intervalLatency = measured.latency.getIntervalHistogram(intervalLatency);
        intervalLateness = measured.lateness.getIntervalHistogram(intervalLateness);
        latencyTotal.add(intervalLatency);
        latenessTotal.add(intervalLateness);
        sinceProgress.add(intervalLatency);
        intervalServiceTime = measured.serviceTime.getIntervalHistogram(intervalServiceTime);
        serviceTimeTotal.add(intervalServiceTime);
        intervalAllLatency = measured.allLatency.getIntervalHistogram(intervalAllLatency);
        allLatencyTotal.add(intervalAllLatency);
        intervalEarliness = measured.earliness.getIntervalHistogram(intervalEarliness);
        earlinessTotal.add(intervalEarliness);
        if (latencyLog != null) {
            latencyLog.outputIntervalHistogram(intervalLatency);
            intervalAllLatency.setTag(ALL_REQUESTS_TAG);
            latencyLog.outputIntervalHistogram(intervalAllLatency);
            intervalAllLatency.setTag(null);
            latenessLog.outputIntervalHistogram(intervalLateness);
        }
    }

    /** Logs the latest interval ({@link #logInterval()}) and summarises everything since the previous call. */
    public synchronized Interval interval() {
        logInterval();
        return summary();
    }

    /**
     * Summarises what the one-second logs ({@link #logInterval()}) moved since the previous summary, without logging
     * an interval of its own: progress lines must not split the one-second histograms the within-run bootstrap uses.
     */
    public synchronized Interval summary() {
        long now = clock.getAsLong();
        long sends = sequence.get();
        long first = firstSend.get();
        // the first interval starts at the first send, not when Gatling was still starting up
        long intervalStart = lastIntervalNanos == Long.MAX_VALUE ? first : Math.max(lastIntervalNanos, first);
        double seconds = first == Long.MAX_VALUE ? 0 : (now - intervalStart) / 1e9;
        double rate = seconds > 0 ? (sends - lastIntervalSends) / seconds : 0;
        lastIntervalSends = sends;
        lastIntervalNanos = now;
        long count = sinceProgress.getTotalCount();
        double p99 = count == 0 ? 0 : sinceProgress.getValueAtPercentile(99) / 1000.0;
        sinceProgress.reset();
        double elapsed = first == Long.MAX_VALUE ? 0 : (now - first) / 1e9;
        return new Interval(elapsed, rate, count, p99, errors(), sends <= warmupRequests);
    }

    public long errors() {
        long sum = 0;
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OK) {
                sum += measured.outcomes[o.ordinal()].sum();
            }
        }
        return sum;
    }

    /** Counts by outcome wire name, every outcome present (zeros included). */
    public Map<String, Long> outcomeCounts() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            counts.put(o.wireName(), measured.outcomes[o.ordinal()].sum());
        }
        return counts;
    }

    /** Total sends including warm-up. */
    public long sends() {
        return sequence.get();
    }

    public long measuredSends() {
        return measured.sends.sum();
    }

    /** Sends per second over the measured window, from the first to the last measured send. */
    public double achievedRate() {
        long n = measured.sends.sum();
        long span = measured.lastSend.get() - measured.firstSend.get();
        return n < 2 || span <= 0 ? 0 : (n - 1) / (span / 1e9);
    }

    public double measuredSeconds() {
        long span = measured.lastSend.get() - measured.firstSend.get();
        return span <= 0 ? 0 : span / 1e9;
    }

    /** All measured latencies so far (ns); call {@link #interval()} first to include the latest ones. */
    public synchronized Histogram latencyTotal() {
        return latencyTotal.copy();
    }

    /** Latencies from the moment Gatling actually started each request (not coordinated-omission safe; diagnostic). */
    public synchronized Histogram serviceTimeTotal() {
        return serviceTimeTotal.copy();
    }

    public synchronized Histogram latenessTotal() {
        return latenessTotal.copy();
    }

    /** Every measured arrival's latency (ns): ok, failed at its time to failure, censored if it never ended. */
    public synchronized Histogram allLatencyTotal() {
        return allLatencyTotal.copy();
    }

    /** How early each early send left (ns); sends on time or late are not in it. */
    public synchronized Histogram earlinessTotal() {
        return earlinessTotal.copy();
    }

    public LoadSpec spec() {
        return spec;
    }

    @Override
    public synchronized void close() {
        if (latencyLog != null) {
            latencyLog.close();
            latenessLog.close();
        }
    }
}
