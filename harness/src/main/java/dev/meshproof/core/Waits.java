package dev.meshproof.core;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Named, bounded waits (Awaitility). A check returns null when its condition holds, or a sentence saying what
 * is still missing; that sentence is printed in progress lines and ends up in the time-out message, which names
 * the object and the condition it did not reach.
 */
public final class Waits {
    private static final String NOT_CHECKED = "not checked yet";
    private static final String DEFAULT_HINT =
            "the cluster did not get there in time; the diagnostics dump in the run directory has the pods, events and logs";
    private final Duration timeout;
    private final Duration poll;
    private final Duration progressEvery;

    public Waits(Duration timeout, Duration poll, Duration progressEvery) {
        this.timeout = timeout;
        this.poll = poll;
        this.progressEvery = progressEvery;
    }

    /** Install defaults: 5 minutes per wait (image pulls on a cold node), polled every 2 s, a progress line every 10 s. */
    public static Waits defaults() {
        return new Waits(Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Waits until {@code check} returns null.
     *
     * @throws MeshproofException exit 3 on time-out: "timed out after 300s waiting for DaemonSet istio-system/ztunnel
     *                            numberReady=desiredNumberScheduled>0: 0 of 1 pods ready"
     */
    public void until(String what, Supplier<String> check) {
        until(what, check, DEFAULT_HINT);
    }

    /** As {@link #until(String, Supplier)}, with {@code hint} (what to look at) in the time-out error instead of the default. */
    public void until(String what, Supplier<String> check, String hint) {
        AtomicReference<String> missing = new AtomicReference<>(NOT_CHECKED);
        AtomicLong lastReport = new AtomicLong(-1);
        Progress.info("waiting for " + what);
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(poll)
                    .conditionEvaluationListener(condition -> {
                        long bucket = condition.getElapsedTimeInMS() / Math.max(1, progressEvery.toMillis());
                        if (bucket > 0 && lastReport.getAndSet(bucket) != bucket) {
                            Progress.waiting(what + " — " + missing.get(), Duration.ofMillis(condition.getElapsedTimeInMS()), timeout);
                        }
                    })
                    .until(() -> {
                        try {
                            missing.set(check.get());
                            return missing.get() == null;
                        } catch (KubernetesClientException e) {
                            // "not yet": the server may be briefly busy. The last real answer stays the one reported, as
                            // Awaitility interrupts the final poll at the time-out, which fabric8 reports as a failed call.
                            if (missing.get() == null || missing.get().equals(NOT_CHECKED)) {
                                missing.set("API error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                            }
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw MeshproofException.environment("timed out after " + timeout.toSeconds() + "s waiting for " + what + ": " + missing.get(), hint, e);
        }
    }

}
