package dev.meshproof.agent.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters a test or a user can read (Java API and {@code GET /stats}): how many connections each listener
 * accepted — the proof of {@code newConnectionPerCall} and {@code concurrency} — and how many echo requests
 * were in flight at most.
 */
public final class ServerStats {
    private final AtomicLong httpConnectionsAccepted = new AtomicLong();
    private final AtomicLong tcpConnectionsAccepted = new AtomicLong();
    private final AtomicLong httpRequests = new AtomicLong();
    private final AtomicLong echoInFlight = new AtomicLong();
    private final AtomicLong echoMaxInFlight = new AtomicLong();

    public record Snapshot(long httpConnectionsAccepted, long tcpConnectionsAccepted, long httpRequests,
                           long echoInFlight, long echoMaxInFlight) {
    }

    public Snapshot snapshot() {
        return new Snapshot(httpConnectionsAccepted.get(), tcpConnectionsAccepted.get(), httpRequests.get(),
                echoInFlight.get(), echoMaxInFlight.get());
    }

    void httpConnectionAccepted() {
        httpConnectionsAccepted.incrementAndGet();
    }

    void tcpConnectionAccepted() {
        tcpConnectionsAccepted.incrementAndGet();
    }

    void httpRequest() {
        httpRequests.incrementAndGet();
    }

    void echoStarted() {
        long now = echoInFlight.incrementAndGet();
        echoMaxInFlight.accumulateAndGet(now, Math::max);
    }

    void echoFinished() {
        echoInFlight.decrementAndGet();
    }
}
