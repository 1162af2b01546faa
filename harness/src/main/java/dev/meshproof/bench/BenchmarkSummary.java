package dev.meshproof.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshproof.agent.load.PauseDetector;

import java.util.List;
import java.util.Map;

/**
 * The content of {@code benchmark.json}: one entry per mode (pooled over its repetitions, with 95 % intervals and the
 * per-repetition values), and the pairwise differences between modes. All latencies in µs.
 *
 * @param tool           always "meshproof"
 * @param formatVersion  bumped on incompatible changes
 * @param startedAt      ISO-8601 UTC
 * @param profile        the profile as run (after flag overrides)
 * @param environment    where it ran: what {@code bench compare} requires to match, with the profile
 * @param target         the URL in local mode, or the cluster description
 * @param valid          every repetition of every mode measured the load asked for ({@link RunValidity})
 * @param invalidReasons why not, each prefixed with its mode and repetition; empty when valid
 * @param order          the randomised interleaved order the repetitions ran in
 * @param modes          one entry per mode, in the profile's order
 * @param differences    {@code to − from} for every pair of modes (empty with one mode)
 */
public record BenchmarkSummary(String tool, int formatVersion, String startedAt, ProfileInfo profile,
                               Environment environment, String target,
                               boolean valid, List<String> invalidReasons, List<PlannedRun> order, List<ModeSummary> modes,
                               List<Difference> differences) {

    /**
     * 2: paired-round differences (rounds, deltaMicros, ci95) and t-intervals per mode; all-request latencies (the
     * differences and the gate use them); counts, validity, warm-up rebase and signed send offsets per repetition;
     * the environment.
     */
    public static final int FORMAT_VERSION = 2;

    public record ProfileInfo(String name, String description, double rate, double durationSeconds, double warmupSeconds,
                              int connections, int payloadBytes, boolean keepAlive, int repetitions, String placement,
                              long seed) {
    }

    public record PlannedRun(int order, String mode, int repetition) {
    }

    /**
     * Where a benchmark ran.
     *
     * @param clusterKind  {@code local} (--target), {@code k3s} or {@code kubeconfig}
     * @param istioVersion the installed Istio's version, {@code preinstalled} when Meshproof did not install it, or
     *                     {@code none}
     * @param meshMode     the Istio install the modes needed ({@code sidecar}, {@code ambient}, {@code hybrid}), or
     *                     {@code none}
     */
    public record Environment(String clusterKind, String istioVersion, String meshMode) {
        /** Local mode: no cluster, no mesh. */
        public static Environment local() {
            return new Environment("local", "none", "none");
        }
    }

    /**
     * What happened to the measured arrivals: {@code completed + unsent + inFlightAtEnd = planned}.
     *
     * @param completed     ended with any outcome (ok or error)
     * @param unsent        never sent: the generator fell behind by more than a request timeout, or the run was cut
     * @param inFlightAtEnd sent, never answered before the run stopped
     */
    public record Counts(long planned, long sent, long completed, long unsent, long inFlightAtEnd) {
        public static Counts of(dev.meshproof.agent.load.LoadResult r) {
            return new Counts(r.planned(), r.sent(), r.requests(), r.unsent(), r.inFlightAtEnd());
        }

        public Counts plus(Counts o) {
            return new Counts(planned + o.planned, sent + o.sent, completed + o.completed, unsent + o.unsent,
                    inFlightAtEnd + o.inFlightAtEnd);
        }
    }

    /**
     * @param requests                 completed measured requests, any outcome
     * @param valid                    every repetition is valid
     * @param invalidReasons           why not ("rep N: …"); empty when valid
     * @param latencyMicros            successful requests only, pooled over all repetitions, from each request's
     *                                 intended send time
     * @param ci95                     95 % t-intervals of the per-repetition p50, p90, p95, p99, p999 of
     *                                 {@code latencyMicros} (their estimate is the mean over repetitions, not the pooled
     *                                 value); empty with one repetition or if one measured nothing
     * @param allRequestsLatencyMicros every planned arrival, pooled: failures at their time to failure, never-ended
     *                                 ones censored (a lower bound); what the differences and the gate use
     * @param serviceTimeMicros        pooled, from the actual send (diagnostic: hides generator delays)
     * @param latenessMicros           pooled: how late the generator sent (early sends count 0)
     * @param sendOffsetMicros         pooled: signed send offsets, early and late
     * @param proxyResources           the proxies' CPU and memory pooled over the repetitions' measured windows
     *                                 (cluster mode; absent locally, where nothing measures them)
     */
    public record ModeSummary(String name, long requests, long errors, double achievedRate, double requestedRate,
                              Counts counts, boolean valid, List<String> invalidReasons,
                              Map<String, Long> errorsByOutcome, Percentiles latencyMicros, Map<String, Interval> ci95,
                              Percentiles allRequestsLatencyMicros, Percentiles serviceTimeMicros,
                              Percentiles latenessMicros, SendOffset sendOffsetMicros, List<Repetition> repetitions,
                              @JsonInclude(JsonInclude.Include.NON_NULL) ProxyResources proxyResources) {
    }

    /**
     * @param order              position in the run order (1-based)
     * @param warmupRebaseMicros how far the measured window opened after its nominal start, letting a warm-up
     *                           backlog clear (0 on schedule)
     * @param placement          where the client and server ran (node names), empty locally
     * @param runDirectory       the engine's output for this repetition, relative to the benchmark directory
     * @param latencyLog         HdrHistogram interval log of successful requests (ns), relative to the benchmark
     *                           directory
     * @param histogram          the repetition's success-only latency histogram (ns), Base64 of HdrHistogram's
     *                           compressed form
     * @param allRequestsHistogram the same for every planned arrival
     * @param proxyResources     the proxies' CPU and memory in this repetition's measured window (absent locally)
     */
    public record Repetition(int repetition, int order, Counts counts, boolean valid, List<String> invalidReasons,
                             long errors, double achievedRate, double measuredSeconds, double warmupRebaseMicros,
                             Map<String, Long> errorsByOutcome, Percentiles latencyMicros,
                             Percentiles allRequestsLatencyMicros, Percentiles serviceTimeMicros,
                             Percentiles latenessMicros, SendOffset sendOffsetMicros, PauseDetector.Pauses jvmPauses,
                             Map<String, String> placement, String runDirectory, String gatlingReport, String latencyLog,
                             String histogram, String allRequestsHistogram,
                             @JsonInclude(JsonInclude.Include.NON_NULL) ProxyResources proxyResources) {
    }

    /**
     * {@code to − from} for p50, p90, p95, p99 and p999 of all requests (errors at their time to failure), paired by
     * round ({@link RoundIntervals}).
     *
     * @param rounds      rounds paired (repetitions both modes have)
     * @param deltaMicros the mean per-round difference of each percentile
     * @param ci95        from 2 rounds: its 95 % t-interval; with one round: the within-run interval of
     *                    {@link BlockBootstrap} (measured coverage about 90 %, run-to-run variation not included) for
     *                    the percentiles it supports and runs of {@link BlockBootstrap#MIN_INTERVALS} intervals, else
     *                    empty (no claim)
     * @param method      {@value #PAIRED_ROUNDS} or {@value #WITHIN_RUN}: what {@code ci95} is
     */
    public record Difference(String from, String to, int rounds, Map<String, Double> deltaMicros, Map<String, Interval> ci95,
                             String method) {
        public static final String PAIRED_ROUNDS = "paired-rounds";
        public static final String WITHIN_RUN = "within-run-block-bootstrap";

        public boolean withinRun() {
            return WITHIN_RUN.equals(method);
        }
    }

    public ModeSummary mode(String name) {
        return modes.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
}
