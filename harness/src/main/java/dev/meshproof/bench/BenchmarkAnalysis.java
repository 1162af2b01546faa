package dev.meshproof.bench;

import dev.meshproof.agent.call.Outcome;
import dev.meshproof.agent.load.LoadResult;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the repetitions of a benchmark into its {@link BenchmarkSummary}: pooled percentiles (the merged histogram's),
 * 95 % intervals over the repetitions and paired-round differences ({@link RoundIntervals}).
 */
public final class BenchmarkAnalysis {
    /** The differences the reports lead with (Istio's docs quote p90 and p99; the seed quotes p50 and p99). */
    static final List<String> DIFFERENCE_PERCENTILES = List.of("p50", "p90", "p95", "p99", "p999");

    public BenchmarkAnalysis() {
    }

    public BenchmarkSummary summarise(LoadProfile profile, BenchmarkSummary.Environment environment, String target,
                                      Instant startedAt, List<RepetitionResult> runs, Path benchmarkDir) {
        List<BenchmarkSummary.PlannedRun> order = runs.stream()
                .sorted(java.util.Comparator.comparingInt(RepetitionResult::order))
                .map(r -> new BenchmarkSummary.PlannedRun(r.order(), r.mode().id(), r.repetition())).toList();
        List<BenchmarkSummary.ModeSummary> modes = new ArrayList<>();
        Map<String, List<Histogram>> histograms = new LinkedHashMap<>();
        Map<String, Path> intervals = new LinkedHashMap<>();
        for (DataPath mode : profile.modes()) {
            List<RepetitionResult> reps = runs.stream().filter(r -> r.mode() == mode)
                    .sorted(java.util.Comparator.comparingInt(RepetitionResult::repetition)).toList();
            if (reps.isEmpty()) {
                continue;
            }
            modes.add(mode(mode, profile, reps, benchmarkDir));
            histograms.put(mode.id(), reps.stream().map(r -> r.load().allLatencyHistogram()).toList());
            intervals.put(mode.id(), reps.get(0).runDirectory().resolve("latency.hlog"));
        }
        List<String> invalid = new ArrayList<>();
        modes.forEach(m -> m.invalidReasons().forEach(r -> invalid.add(m.name() + " " + r)));
        return new BenchmarkSummary("meshproof", BenchmarkSummary.FORMAT_VERSION, startedAt.toString(), info(profile),
                environment, target, invalid.isEmpty(), invalid, order, modes, differences(histograms, intervals, profile.seed()));
    }

    /**
     * Pairwise {@code later − earlier} in the profile's mode order, so the baseline (first) is always the reference:
     * the mean per-round difference of each percentile, with its t-interval from 2 rounds on; with one round, the
     * within-run block bootstrap over each mode's first repetition's {@code latency.hlog} ({@code intervalLogs}),
     * seeded with {@code seed}.
     */
    private static final double[] SUPPORTED_QUANTILES =
            BlockBootstrap.SUPPORTED.stream().mapToDouble(Percentiles::percentileOf).toArray();

    List<BenchmarkSummary.Difference> differences(Map<String, List<Histogram>> byMode, Map<String, Path> intervalLogs,
                                                         long seed) {
        List<String> names = new ArrayList<>(byMode.keySet());
        List<BenchmarkSummary.Difference> out = new ArrayList<>();
        Map<String, List<Histogram>> perSecond = new java.util.HashMap<>(); // each mode's log read once, not once per pair
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                List<Histogram> from = byMode.get(names.get(i));
                List<Histogram> to = byMode.get(names.get(j));
                if (!measuredEverywhere(from) || !measuredEverywhere(to)) {
                    continue;
                }
                Map<String, Double> deltas = new LinkedHashMap<>();
                Map<String, Interval> ci = new LinkedHashMap<>();
                int rounds = RoundIntervals.rounds(from, to);
                for (String p : DIFFERENCE_PERCENTILES) {
                    double q = Percentiles.percentileOf(p);
                    deltas.put(p, RoundIntervals.meanDifference(from, to, q));
                    RoundIntervals.pairedDifference(from, to, q).ifPresent(d -> ci.put(p, d));
                }
                if (rounds == 1 && intervalLogs.containsKey(names.get(i)) && intervalLogs.containsKey(names.get(j))) {
                    BlockBootstrap.differences(
                            perSecond.computeIfAbsent(names.get(i), n -> BlockBootstrap.allRequestIntervals(intervalLogs.get(n))),
                            perSecond.computeIfAbsent(names.get(j), n -> BlockBootstrap.allRequestIntervals(intervalLogs.get(n))),
                            SUPPORTED_QUANTILES, seed).ifPresent(list -> {
                        for (int k = 0; k < SUPPORTED_QUANTILES.length; k++) {
                            ci.put(BlockBootstrap.SUPPORTED.get(k), list.get(k));
                        }
                    });
                }
                out.add(new BenchmarkSummary.Difference(names.get(i), names.get(j), rounds, deltas, ci,
                        rounds == 1 && !ci.isEmpty() ? BenchmarkSummary.Difference.WITHIN_RUN : BenchmarkSummary.Difference.PAIRED_ROUNDS));
            }
        }
        return out;
    }

    private BenchmarkSummary.ModeSummary mode(DataPath mode, LoadProfile profile, List<RepetitionResult> reps, Path dir) {
        Histogram latency = new Histogram(3);
        Histogram all = new Histogram(3);
        Histogram service = new Histogram(3);
        Histogram lateness = new Histogram(3);
        Histogram earliness = new Histogram(3);
        List<Histogram> perRep = new ArrayList<>();
        Map<String, Long> outcomes = errorOutcomes();
        BenchmarkSummary.Counts counts = new BenchmarkSummary.Counts(0, 0, 0, 0, 0);
        long errors = 0;
        double seconds = 0;
        List<String> invalid = new ArrayList<>();
        List<BenchmarkSummary.Repetition> repetitions = new ArrayList<>();
        for (RepetitionResult r : reps) {
            LoadResult l = r.load();
            Histogram h = l.latencyHistogram();
            Histogram a = l.allLatencyHistogram();
            perRep.add(h);
            latency.add(h);
            all.add(a);
            service.add(l.serviceTimeHistogram());
            lateness.add(l.latenessHistogram());
            earliness.add(l.earlinessHistogram());
            counts = counts.plus(BenchmarkSummary.Counts.of(l));
            errors += l.errors();
            seconds += l.measuredSeconds();
            Map<String, Long> repOutcomes = errorOutcomes();
            l.outcomes().forEach((k, v) -> repOutcomes.computeIfPresent(k, (kk, old) -> old + v));
            repOutcomes.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            List<String> reasons = RunValidity.reasons(l);
            reasons.forEach(reason -> invalid.add("rep " + r.repetition() + ": " + reason));
            repetitions.add(new BenchmarkSummary.Repetition(r.repetition(), r.order(), BenchmarkSummary.Counts.of(l),
                    reasons.isEmpty(), reasons, l.errors(), l.achievedRate(), l.measuredSeconds(), l.warmupRebaseMicros(),
                    repOutcomes, Percentiles.ofNanos(h), Percentiles.ofNanos(a), Percentiles.ofNanos(l.serviceTimeHistogram()),
                    Percentiles.ofNanos(l.latenessHistogram()), SendOffset.of(l.latenessHistogram(), l.earlinessHistogram()),
                    l.pauses(), r.placement(), relative(dir, r.runDirectory()), l.gatlingReport() == null ? null
                    : relative(dir, r.runDirectory().resolve(l.gatlingReport())),
                    relative(dir, r.runDirectory().resolve("latency.hlog")), l.latency(), l.allLatency(), r.proxyResources()));
        }
        Map<String, Interval> ci = new LinkedHashMap<>();
        if (measuredEverywhere(perRep)) {
            for (String p : Percentiles.NAMES) {
                RoundIntervals.perRepetition(perRep, Percentiles.percentileOf(p)).ifPresent(i -> ci.put(p, i));
            }
        }
        double achieved = seconds > 0 ? counts.sent() / seconds : 0;
        return new BenchmarkSummary.ModeSummary(mode.id(), counts.completed(), errors, achieved, profile.rate(), counts,
                invalid.isEmpty(), invalid, outcomes, Percentiles.ofNanos(latency), ci, Percentiles.ofNanos(all),
                Percentiles.ofNanos(service), Percentiles.ofNanos(lateness), SendOffset.of(lateness, earliness), repetitions,
                ProxyResources.combine(reps.stream().map(RepetitionResult::proxyResources).toList()));
    }

    private static boolean measuredEverywhere(List<Histogram> reps) {
        return !reps.isEmpty() && reps.stream().allMatch(h -> h.getTotalCount() > 0);
    }

    /** Every error outcome (all but ok), zero-filled so readers see what was looked for. */
    private static Map<String, Long> errorOutcomes() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OK) {
                m.put(o.wireName(), 0L);
            }
        }
        return m;
    }

    private static String relative(Path base, Path p) {
        return base.toAbsolutePath().relativize(p.toAbsolutePath()).toString();
    }

    private static BenchmarkSummary.ProfileInfo info(LoadProfile p) {
        return new BenchmarkSummary.ProfileInfo(p.name(), p.description(), p.rate(), p.duration().toMillis() / 1000.0,
                p.warmup().toMillis() / 1000.0, p.connections(), p.payloadBytes(), p.keepAlive(), p.repetitions(),
                p.placement().id(), p.seed());
    }
}
