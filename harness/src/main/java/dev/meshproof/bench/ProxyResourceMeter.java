package dev.meshproof.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * Measures the CPU and memory of the proxies on a mode's path while one repetition runs. {@link ClusterModeRunner}
 * starts a sampling before the load and finishes it with the repetition's measured window (warm-up excluded);
 * {@link MetricsServerMeter} is the real one.
 */
public interface ProxyResourceMeter {

    /** Begins sampling the proxies of {@code mode} serving the client and server in {@code namespace}. */
    Sampling start(DataPath mode, String namespace);

    /** A running sampling; closing it without {@link #finish} stops it and discards the samples. */
    interface Sampling extends AutoCloseable {
        /** Stops sampling; the figures over the samples inside {@code window}, per {@code requests} sent in it. */
        ProxyResources finish(MeasuredWindow window, long requests);

        @Override
        void close();
    }

    /** The measured part of a repetition, on this machine's clock. */
    record MeasuredWindow(Instant from, Instant until) {
        public Duration length() {
            return Duration.between(from, until);
        }

        /** Whether a metrics sample covering {@code [end − window, end]} lies inside, give or take {@code slack} of clock skew. */
        public boolean covers(Instant end, Duration window, Duration slack) {
            return !end.minus(window).isBefore(from.minus(slack)) && !end.isAfter(until.plus(slack));
        }
    }
}
