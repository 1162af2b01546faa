package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadSpec;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Places a repetition's measured window on this machine's clock from the engine's progress lines: the first line
 * after warm-up arrives at {@code t} with {@code elapsedSeconds} since the first send, so the first send was at
 * {@code t − elapsed}, and the window is {@code [first send + warm-up, + duration]}. Relay delay (milliseconds)
 * shifts it slightly late. Without any progress line after warm-up, the window ends when the run ended.
 */
final class MeasuredWindowClock {
    private final LoadSpec spec;
    private final Clock clock;
    private volatile Instant firstSend;

    MeasuredWindowClock(LoadSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
    }

    Consumer<LoadRecorder.Interval> observing(Consumer<LoadRecorder.Interval> progress) {
        return interval -> {
            if (firstSend == null && !interval.warmingUp() && interval.elapsedSeconds() > 0) {
                firstSend = clock.instant().minusMillis(Math.round(interval.elapsedSeconds() * 1000));
            }
            progress.accept(interval);
        };
    }

    /** Call after the run. */
    ProxyResourceMeter.MeasuredWindow window() {
        if (firstSend != null) {
            Instant from = firstSend.plus(spec.warmup());
            return new ProxyResourceMeter.MeasuredWindow(from, from.plus(spec.duration()));
        }
        Instant end = clock.instant();
        return new ProxyResourceMeter.MeasuredWindow(end.minus(spec.duration()), end);
    }
}
