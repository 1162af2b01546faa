package dev.meshproof.agent.load;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What one load run does: an open-model constant arrival rate against one URL.
 *
 * @param target          http URL the requests go to (GET without payload, POST with one)
 * @param rate            requested arrival rate, requests per second (open model: arrivals do not wait for responses)
 * @param duration        measured window, after the warm-up
 * @param warmup          leading window whose requests are sent but not measured (JIT, connection setup)
 * @param connections     long-lived virtual users, each with one keep-alive connection: at most this many requests
 *                        in flight; when all are busy, due arrivals wait and that wait is measured as latency
 * @param payloadBytes    request body size; 0 sends GET
 * @param keepAlive       true: connections are reused; false: {@code Connection: close}, one connection per request
 * @param requestTimeout  a request without a response after this long counts as {@code timeout}
 * @param progressEvery   how often a progress line is written (interval histograms are logged every second, or this often if shorter)
 * @param label           names the run in logs and Gatling's report (e.g. "no-mesh rep 2")
 * @param gatlingReport   also feed Gatling's own statistics and write its HTML report (off by default: Meshproof's
 *                        recorder measures every request, and Gatling's per-request stats message to its file
 *                        writer, and the report parsed from that file afterwards, cost CPU on the generator)
 */
public record LoadSpec(URI target, double rate, Duration duration, Duration warmup, int connections,
                       int payloadBytes, boolean keepAlive, Duration requestTimeout, Duration progressEvery,
                       String label, boolean gatlingReport) {

    /** Without Gatling's own report (the default). */
    public LoadSpec(URI target, double rate, Duration duration, Duration warmup, int connections, int payloadBytes,
                    boolean keepAlive, Duration requestTimeout, Duration progressEvery, String label) {
        this(target, rate, duration, warmup, connections, payloadBytes, keepAlive, requestTimeout, progressEvery, label, false);
    }

    public LoadSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(progressEvery, "progressEvery");
        if (!"http".equals(target.getScheme()) || target.getHost() == null) {
            throw new IllegalArgumentException("target must be an http:// URL with a host, got " + target);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be > 0, got " + rate);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be > 0, got " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1, got " + connections);
        }
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payloadBytes must be >= 0, got " + payloadBytes);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be > 0, got " + requestTimeout);
        }
        if (progressEvery.isNegative() || progressEvery.isZero()) {
            throw new IllegalArgumentException("progressEvery must be > 0, got " + progressEvery);
        }
        label = label == null || label.isBlank() ? "load" : label;
    }

    /** A spec with the usual defaults: 5 s warm-up, keep-alive, GET, 10 s timeout, progress every 5 s. */
    public static LoadSpec of(URI target, double rate, Duration duration, int connections) {
        return new LoadSpec(target, rate, duration, Duration.ofSeconds(5), connections, 0, true,
                Duration.ofSeconds(10), Duration.ofSeconds(5), "load");
    }

    public LoadSpec withWarmup(Duration value) {
        return new LoadSpec(target, rate, duration, value, connections, payloadBytes, keepAlive, requestTimeout, progressEvery, label, gatlingReport);
    }

    public LoadSpec withProgressEvery(Duration value) {
        return new LoadSpec(target, rate, duration, warmup, connections, payloadBytes, keepAlive, requestTimeout, value, label, gatlingReport);
    }

    public LoadSpec withLabel(String value) {
        return new LoadSpec(target, rate, duration, warmup, connections, payloadBytes, keepAlive, requestTimeout, progressEvery, value, gatlingReport);
    }

    public LoadSpec withGatlingReport(boolean value) {
        return new LoadSpec(target, rate, duration, warmup, connections, payloadBytes, keepAlive, requestTimeout, progressEvery, label, value);
    }

    /** Requests sent in the warm-up window; arrivals with a lower sequence number are not measured. */
    public long warmupRequests() {
        return Math.round(rate * warmup.toNanos() / 1e9);
    }

    /** Requests sent in the measured window. */
    public long measuredRequests() {
        return Math.round(rate * duration.toNanos() / 1e9);
    }

    /**
     * How long a run may take at most, from its start (Gatling's {@code maxDuration}, a backstop): the warm-up, a
     * warm-up backlog of up to the warm-up's length, the measured window, arrivals sent up to one request timeout
     * after it ({@link ArrivalSchedule}), their last answers (one more timeout) and 5 s of slack. A run cut here
     * leaves its unsent and unanswered arrivals counted and censored, not dropped ({@link LoadRecorder#finish}).
     */
    public Duration runLimit() {
        return warmup.multipliedBy(2).plus(duration).plus(requestTimeout.multipliedBy(2)).plusSeconds(5);
    }

    /** Nanoseconds between two intended sends. */
    public double intervalNanos() {
        return 1e9 / rate;
    }
}
