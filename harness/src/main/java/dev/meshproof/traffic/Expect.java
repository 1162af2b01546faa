package dev.meshproof.traffic;

import dev.meshproof.agent.call.CallResponse;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Waiting on traffic, the two ways a mesh check needs: {@code eventually} (a policy or route takes effect within
 * a bound) and {@code consistently} ("stays denied for N seconds": every observation over the whole period).
 * Both poll with Awaitility and report the last observation when they fail.
 */
public final class Expect {
    private Expect() {
    }

    /** The expectation did not hold; the message says what was expected, for how long, and what was seen last. */
    public static final class NotMet extends AssertionError {
        private final transient CallResponse lastSeen;

        NotMet(String message, CallResponse lastSeen) {
            super(message);
            this.lastSeen = lastSeen;
        }

        /** The observation that settled it (the last one for eventually, the violating one for consistently); may be null. */
        public CallResponse lastSeen() {
            return lastSeen;
        }
    }

    /**
     * Calls until {@code condition} holds, at most {@code atMost}; returns the response that satisfied it.
     *
     * @throws NotMet naming {@code what} and the last response's summary
     */
    public static CallResponse eventually(String what, Duration atMost, Duration pollInterval,
                                          Supplier<CallResponse> call, Predicate<CallResponse> condition) {
        AtomicReference<CallResponse> last = new AtomicReference<>();
        try {
            await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(pollInterval).until(() -> {
                last.set(call.get());
                return condition.test(last.get());
            });
            return last.get();
        } catch (ConditionTimeoutException e) {
            throw new NotMet(what + ": not within " + seconds(atMost) + "; last seen " + summary(last.get()), last.get());
        }
    }

    /**
     * Calls every {@code pollInterval} for {@code during}; every response must satisfy {@code condition}.
     * Stops at the first violation.
     *
     * @throws NotMet naming {@code what}, when it was violated and the violating response's summary
     */
    public static void consistently(String what, Duration during, Duration pollInterval,
                                    Supplier<CallResponse> call, Predicate<CallResponse> condition) {
        AtomicReference<CallResponse> violation = new AtomicReference<>();
        long start = System.nanoTime();
        // Bounded: each observation is one call, itself bounded by its timeoutMs; the slack covers the last one.
        Duration bound = during.plus(pollInterval).plus(Duration.ofSeconds(60));
        await(what).atMost(bound).pollDelay(Duration.ZERO).pollInterval(pollInterval).until(() -> {
            CallResponse r = call.get();
            if (!condition.test(r)) {
                violation.set(r);
                return true;
            }
            return System.nanoTime() - start >= during.toNanos();
        });
        if (violation.get() != null) {
            Duration at = Duration.ofNanos(System.nanoTime() - start);
            throw new NotMet(what + ": violated after " + seconds(at) + " of " + seconds(during) + "; seen "
                    + summary(violation.get()), violation.get());
        }
    }

    /**
     * Drives {@code call} until {@code unmet} answers null (the state is reached, at most {@code converge}), then
     * keeps calling every {@code poll} for {@code hold}, stopping at the first violation. Never throws for an
     * unmet state: the returned {@link Observation} says what happened, so driving and judging stay apart.
     *
     * @param unmet null when a response shows the state, else what it showed instead
     */
    public static Observation establish(Duration converge, Duration hold, Duration poll,
                                        Supplier<CallResponse> call, java.util.function.Function<CallResponse, String> unmet) {
        AtomicReference<CallResponse> last = new AtomicReference<>();
        AtomicReference<String> lastUnmet = new AtomicReference<>("nothing (no call completed)");
        java.util.concurrent.atomic.AtomicInteger observations = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Callable<Boolean> met = () -> {
            observations.incrementAndGet();
            last.set(call.get());
            lastUnmet.set(unmet.apply(last.get()));
            return lastUnmet.get() == null;
        };
        long start = System.nanoTime();
        boolean reached;
        try {
            reached = converge.isZero() ? met.call()
                    : untilTrue(await("state reached").atMost(converge).pollDelay(Duration.ZERO).pollInterval(poll).pollInSameThread(), met);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        Duration convergedAfter = Duration.ofNanos(System.nanoTime() - start);
        int attempts = observations.get();
        if (!reached) {
            return new Observation(false, convergedAfter, attempts, false, Duration.ZERO, attempts, last.get(), lastUnmet.get());
        }
        if (hold.isZero()) {
            return new Observation(true, convergedAfter, attempts, true, Duration.ZERO, attempts, last.get(), null);
        }
        long holdStart = System.nanoTime();
        // every poll: observe again; stop at the first violation or when the hold has passed (bounded: each call has its own timeout)
        untilTrue(await("state held").atMost(hold.plus(poll).plus(Duration.ofSeconds(60))).pollDelay(poll).pollInterval(poll).pollInSameThread(),
                () -> !met.call() || System.nanoTime() - holdStart >= hold.toNanos());
        boolean held = lastUnmet.get() == null;
        return new Observation(true, convergedAfter, attempts, held, Duration.ofNanos(System.nanoTime() - holdStart),
                observations.get() - attempts + 1, last.get(), lastUnmet.get());
    }

    /** Polls {@code condition} with {@code await}'s settings, in this thread (a call in progress is never abandoned); false when the bound passed first. */
    private static boolean untilTrue(org.awaitility.core.ConditionFactory await, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await.until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }

    private static String summary(CallResponse r) {
        if (r == null) {
            return "nothing (no call completed)";
        }
        String firstError = r.results().stream().map(x -> x.error()).filter(java.util.Objects::nonNull).findFirst()
                .map(e -> "; first error: " + e).orElse("");
        return r.summary() + firstError;
    }
}
