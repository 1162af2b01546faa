package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.PauseDetector;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Synthetic benchmark results with known latency distributions, for tests that need no load run. */
public final class Synthetic {
    private Synthetic() {
    }

    /** A repetition: lognormal latencies around {@code medianUs} plus {@code shiftUs}, with {@code errors} timeouts. */
    public static LoadResult loadResult(Random random, double medianUs, double shiftUs, int requests, int errors) {
        Histogram h = new Histogram(3);
        double runOffset = random.nextGaussian() * 10;
        for (int i = 0; i < requests - errors; i++) {
            double us = medianUs * Math.exp(0.3 * random.nextGaussian()) + shiftUs + runOffset;
            h.recordValue(Math.max(1, Math.round(us * 1000)));
        }
        return loadResult(h, requests, errors);
    }

    /** A repetition with exactly these ok latencies (ns) and {@code errors} timeouts besides. */
    public static LoadResult loadResult(Histogram h, int requests, int errors) {
        Histogram lateness = new Histogram(3);
        lateness.recordValueWithCount(150_000, requests);
        Map<String, Long> outcomes = new LinkedHashMap<>();
        outcomes.put("ok", (long) requests - errors);
        outcomes.put("timeout", (long) errors);
        Histogram all = h.copy();
        all.recordValueWithCount(10_000_000_000L, errors); // the timeouts, at the 10 s timeout
        Histogram early = new Histogram(3);
        early.recordValueWithCount(400_000, requests / 2);
        return new LoadResult("synthetic", 1000, 999.5, requests / 1000.0, requests, requests, requests, 0, 0, 0, errors,
                outcomes, LoadResult.encode(h), LoadResult.encode(all), LoadResult.encode(lateness), LoadResult.encode(early),
                LoadResult.encode(h),
                new PauseDetector.Pauses(1.5, 0.2, 0, 3, 12), 0, null);
    }

    /** A whole benchmark from given per-round latency histograms (ns) of each mode. */
    public static BenchmarkSummary summaryOf(Map<DataPath, List<Histogram>> rounds, Path dir) {
        List<RepetitionResult> runs = new ArrayList<>();
        int order = 1;
        int reps = rounds.values().iterator().next().size();
        for (int rep = 1; rep <= reps; rep++) {
            for (Map.Entry<DataPath, List<Histogram>> e : rounds.entrySet()) {
                Histogram h = e.getValue().get(rep - 1);
                runs.add(new RepetitionResult(e.getKey(), rep, order++, loadResult(h, (int) h.getTotalCount(), 0), Map.of(),
                        dir.resolve("runs").resolve(e.getKey().id() + "-rep" + rep), null));
            }
        }
        LoadProfile profile = ProfileLoader.load("smoke").withModes(new ArrayList<>(rounds.keySet())).withRepetitions(reps);
        return new BenchmarkAnalysis().summarise(profile, BenchmarkSummary.Environment.local(), "synthetic", Instant.parse("2026-11-27T08:00:00Z"), runs, dir);
    }

    /** A whole benchmark: each mode with {@code reps} repetitions, shifted by the given µs. */
    public static BenchmarkSummary summary(long seed, int reps, Map<DataPath, Double> shifts, Path dir) {
        return summary(seed, reps, shifts, dir, (mode, rep) -> null);
    }

    /** As {@link #summary(long, int, Map, Path)}, with each repetition's proxy figures from {@code resources} (null: none). */
    public static BenchmarkSummary summary(long seed, int reps, Map<DataPath, Double> shifts, Path dir,
                                           java.util.function.BiFunction<DataPath, Integer, ProxyResources> resources) {
        Random random = new Random(seed);
        List<RepetitionResult> runs = new ArrayList<>();
        int order = 1;
        for (int rep = 1; rep <= reps; rep++) {
            for (Map.Entry<DataPath, Double> e : shifts.entrySet()) {
                runs.add(new RepetitionResult(e.getKey(), rep, order++, loadResult(random, 800, e.getValue(), 4000, 0),
                        Map.of("client", "node-a", "server", "node-b"), dir.resolve("runs").resolve(e.getKey().id() + "-rep" + rep),
                        resources.apply(e.getKey(), rep)));
            }
        }
        LoadProfile profile = ProfileLoader.load("smoke").withModes(new ArrayList<>(shifts.keySet())).withRepetitions(reps);
        return new BenchmarkAnalysis().summarise(profile, BenchmarkSummary.Environment.local(), "synthetic", Instant.parse("2026-11-27T08:00:00Z"),
                runs, dir);
    }
}
