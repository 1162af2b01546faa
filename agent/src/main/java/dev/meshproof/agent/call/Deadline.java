package dev.meshproof.agent.call;

import java.net.SocketTimeoutException;

/** One call's time budget: resolve, connect, TLS, send and the complete reply all come out of it. */
final class Deadline {
    private final long startNanos;
    private final long endNanos;
    private final int timeoutMs;

    Deadline(long startNanos, int timeoutMs) {
        this.startNanos = startNanos;
        this.timeoutMs = timeoutMs;
        this.endNanos = startNanos + timeoutMs * 1_000_000L;
    }

    long startNanos() {
        return startNanos;
    }

    /** Milliseconds left, at least 1 (0 means "forever" to java.net); throws once the budget is spent. */
    int remainingMillis() throws SocketTimeoutException {
        long left = (endNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("call deadline of " + timeoutMs + " ms passed");
        }
        return (int) Math.max(1, left);
    }
}
