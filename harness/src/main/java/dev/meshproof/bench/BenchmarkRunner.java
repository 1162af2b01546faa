package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;
import dev.meshproof.core.Progress;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Runs a profile's plan through a {@link ModeRunner}, printing progress, and summarises the results. */
public final class BenchmarkRunner {
    private final ModeRunner runner;
    private final Duration progressEvery;
    private final BenchmarkSummary.Environment environment;
    private final List<RepetitionResult> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String current;
    private boolean gatlingReport;

    /** Where a run is, for an interrupted run's summary: the repetition in progress and the ones finished. */
    public record State(String current, List<RepetitionResult> completed) {
    }

    /** @param environment where the runner's modes run, recorded so that {@code bench compare} can check it */
    public BenchmarkRunner(ModeRunner runner, Duration progressEvery, BenchmarkSummary.Environment environment) {
        this.runner = runner;
        this.progressEvery = progressEvery;
        this.environment = environment;
    }

    /** Also feed Gatling's statistics and write its HTML report per repetition (costs generator CPU; off by default). */
    public BenchmarkRunner withGatlingReport(boolean value) {
        this.gatlingReport = value;
        return this;
    }

    public BenchmarkSummary run(LoadProfile profile, Path outDir) {
        Instant started = Instant.now();
        List<RunPlan.Step> plan = RunPlan.of(profile.modes(), profile.repetitions(), profile.seed());
        List<RepetitionResult> results = completed;
        // every mode's workloads are deployed before the first measured repetition: otherwise round 1's first mode
        // runs on a node with fewer pods (and proxies) than every later repetition, and pays alone for the others' rollout
        Set<DataPath> prepared = new java.util.LinkedHashSet<>();
        plan.forEach(step -> prepared.add(step.mode()));
        prepared.forEach(runner::prepare);
        for (RunPlan.Step step : plan) {
            String label = step.mode() + " rep " + step.repetition() + "/" + profile.repetitions();
            Progress.step("bench " + label + " (" + step.order() + " of " + plan.size() + "): " + profile.rate()
                    + " rps for " + profile.duration().toSeconds() + "s after " + profile.warmup().toSeconds()
                    + "s warm-up -> " + runner.target());
            Path runDir = outDir.resolve("runs").resolve(step.mode().id() + "-rep" + step.repetition());
            current = label;
            LoadSpec spec = spec(profile, runner.targetFor(step.mode(), profile.path()), label);
            LoadResult result = runner.run(step.mode(), spec, runDir, interval -> progress(label, profile, interval));
            Progress.info(String.format("[%s] done: %d of %d planned requests completed (%d unsent, %d in flight at the "
                            + "end), %d errors, achieved %.1f rps, p99 %.0f µs (all requests)", label, result.requests(),
                    result.planned(), result.unsent(), result.inFlightAtEnd(), result.errors(), result.achievedRate(),
                    result.allLatencyHistogram().getValueAtPercentile(99) / 1000.0));
            results.add(new RepetitionResult(step.mode(), step.repetition(), step.order(), result,
                    runner.placement(step.mode()), runDir, runner.proxyResources(step.mode()).orElse(null)));
            current = null;
        }
        return new BenchmarkAnalysis().summarise(profile, environment, runner.target(), started, List.copyOf(results), outDir);
    }

    public State state() {
        return new State(current, List.copyOf(completed));
    }

    LoadSpec spec(LoadProfile p, java.net.URI target, String label) {
        return new LoadSpec(target, p.rate(), p.duration(), p.warmup(),
                p.connections(), p.payloadBytes(), p.keepAlive(), p.requestTimeout(), progressEvery, label, gatlingReport);
    }

    private static void progress(String label, LoadProfile profile, LoadRecorder.Interval i) {
        double total = (profile.warmup().toMillis() + profile.duration().toMillis()) / 1000.0;
        Progress.info(String.format("[%s] %.0fs/%.0fs%s achieved %.1f rps, current p99 %s, errors %d", label,
                i.elapsedSeconds(), total, i.warmingUp() ? " (warm-up)" : "", i.achievedRate(),
                i.latencyCount() == 0 ? "-" : String.format("%.0f µs", i.p99Micros()), i.errors()));
    }
}
