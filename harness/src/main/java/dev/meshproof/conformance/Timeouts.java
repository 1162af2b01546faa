package dev.meshproof.conformance;

import java.time.Duration;

/**
 * The one timeout configuration of the checks, instead of durations at every call site.
 *
 * @param ready        a check's workloads ready (pods scheduled, image present, captured by the mesh)
 * @param converge     a policy or state observed in effect after it was applied (the propagation barrier)
 * @param hold         how long a state must then hold, observed again and again
 * @param poll         between observations
 * @param callTimeout  one call's deadline inside the agent
 * @param callsPerProbe calls per observation, each on a fresh connection (policy applies at connection set-up)
 */
public record Timeouts(Duration ready, Duration converge, Duration hold, Duration poll, Duration callTimeout, int callsPerProbe) {

    /**
     * For live clusters: policies usually take effect within seconds (istiod pushes to every ztunnel and proxy);
     * Gateway API's conformance allows {@code MaxTimeToConsistency} 30 s, we allow 60 s and hold for 5 s.
     */
    public static Timeouts defaults() {
        return new Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 3);
    }

    public Timeouts withHold(Duration value) {
        return new Timeouts(ready, converge, value, poll, callTimeout, callsPerProbe);
    }
}
