package dev.meshproof.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshproof.agent.load.PauseDetector;

import java.util.List;
import java.util.Map;

/**
 * The content of {@code benchmark.json}: one entry per mode (pooled over its repetitions, with bootstrap
 * 95 % CIs and the per-repetition values), and the pairwise differences between modes. All latencies in µs.
 *
 * @param tool          always "meshproof"
 * @param formatVersion bumped on incompatible changes
 * @param startedAt     ISO-8601 UTC
 * @param profile       the profile as run (after flag overrides)
 * @param target        the URL in local mode, or the cluster description
 * @param order         the randomised interleaved order the repetitions ran in
 * @param modes         one entry per mode, in the profile's order
 * @param differences   {@code to − from} for every pair of modes (empty with one mode)
 */
public record BenchmarkSummary(String tool, int formatVersion, String startedAt, ProfileInfo profile, String target,
                               List<PlannedRun> order, List<ModeSummary> modes, List<Difference> differences) {

    /** 2: paired-round differences (deltaMicros estimates, ci95 intervals, rounds), t-intervals per mode. */
    public static final int FORMAT_VERSION = 2;

    public record ProfileInfo(String name, String description, double rate, double durationSeconds, double warmupSeconds,
                              int connections, int payloadBytes, boolean keepAlive, int repetitions, String placement,
                              long seed) {
    }

    public record PlannedRun(int order, String mode, int repetition) {
    }

    /**
     * @param latencyMicros     pooled over all repetitions, from each request's intended send time
     * @param ci95              95 % t-intervals of the per-repetition p50, p90, p95, p99, p999 (their estimate is the mean
     *                          over repetitions, not the pooled value); empty with one repetition or if one measured nothing
     * @param serviceTimeMicros pooled, from the actual send (diagnostic: hides generator delays)
     * @param latenessMicros    pooled: how late the generator sent
     * @param proxyResources    the proxies' CPU and memory pooled over the repetitions' measured windows (cluster mode;
     *                          absent locally, where nothing measures them)
     */
    public record ModeSummary(String name, long requests, long errors, double achievedRate, double requestedRate,
                              Map<String, Long> errorsByOutcome, Percentiles latencyMicros, Map<String, Interval> ci95,
                              Percentiles serviceTimeMicros, Percentiles latenessMicros, List<Repetition> repetitions,
                              @JsonInclude(JsonInclude.Include.NON_NULL) ProxyResources proxyResources) {
    }

    /**
     * @param order        position in the run order (1-based)
     * @param placement    where the client and server ran (node names), empty locally
     * @param runDirectory the engine's output for this repetition, relative to the benchmark directory
     * @param latencyLog   HdrHistogram interval log (ns), relative to the benchmark directory
     * @param histogram    the repetition's latency histogram (ns), Base64 of HdrHistogram's compressed form
     * @param proxyResources the proxies' CPU and memory in this repetition's measured window (absent locally)
     */
    public record Repetition(int repetition, int order, long sent, long requests, long errors, double achievedRate,
                             double measuredSeconds, Map<String, Long> errorsByOutcome, Percentiles latencyMicros,
                             Percentiles serviceTimeMicros, Percentiles latenessMicros, PauseDetector.Pauses jvmPauses,
                             Map<String, String> placement, String runDirectory, String gatlingReport, String latencyLog,
                             String histogram, @JsonInclude(JsonInclude.Include.NON_NULL) ProxyResources proxyResources) {
    }

    /**
     * {@code to − from} for p50, p90, p95, p99 and p999, paired by round ({@link RoundIntervals}).
     *
     * @param rounds      rounds paired (repetitions both modes have)
     * @param deltaMicros the mean per-round difference of each percentile
     * @param ci95        its 95 % t-interval; empty with one round (no claim: run-to-run variation unknown)
     */
    public record Difference(String from, String to, int rounds, Map<String, Double> deltaMicros, Map<String, Interval> ci95) {
    }

    public ModeSummary mode(String name) {
        return modes.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
}
