package dev.meshproof.cli;

import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.Comparability;
import dev.meshproof.bench.GateThresholds;
import dev.meshproof.bench.RegressionGate;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.report.BenchmarkJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code meshproof bench compare BASELINE.json CURRENT.json --thresholds ci/gates.yaml}: the regression gate. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compares two benchmark.json files mode by mode and fails when a latency regression beyond its "
                + "threshold is statistically supported (the whole 95%% CI of current - baseline above it; a t-interval of the "
                + "per-round differences, which needs 3 or more repetitions on each side).",
        footer = {"", "Exit codes: 0 no supported regression (ok, or unclear), 1 regression, 2 bad file or thresholds, "
                + "an invalid benchmark, or baseline and current not comparable."})
public final class BenchCompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE.json")
    Path baseline;

    @Parameters(index = "1", paramLabel = "CURRENT.json")
    Path current;

    @Option(names = "--thresholds", paramLabel = "FILE", defaultValue = "ci/gates.yaml",
            description = "Gate thresholds (default: ${DEFAULT-VALUE}).")
    Path thresholds;

    @Override
    public Integer call() {
        BenchmarkSummary base = usable(baseline, BenchmarkJson.read(baseline));
        BenchmarkSummary cur = usable(current, BenchmarkJson.read(current));
        List<String> mismatches = Comparability.differences(base, cur);
        if (!mismatches.isEmpty()) {
            throw MeshproofException.usage(baseline + " and " + current + " are not comparable: " + String.join("; ", mismatches),
                    "compare runs of the same profile in the same environment (docs/benchmarks.md, 'Regression gate')");
        }
        GateThresholds gates = GateThresholds.load(thresholds);
        List<RegressionGate.Row> rows = new RegressionGate().compare(base, cur, gates);
        PrintWriter out = spec.commandLine().getOut();
        out.println("baseline: " + baseline + " (" + base.startedAt() + ")");
        out.println("current:  " + current + " (" + cur.startedAt() + ")");
        out.printf(Locale.ROOT, "%-11s %-9s %12s %12s %34s %10s  %s%n", "mode", "metric", "baseline", "current",
                "delta [95% CI]", "allowed", "verdict");
        for (RegressionGate.Row r : rows) {
            out.println(format(r));
        }
        Comparability.generatorHealth(base, cur).forEach(out::println);
        boolean failed = RegressionGate.failed(rows);
        long unclear = rows.stream().filter(r -> r.status() == RegressionGate.Status.UNCLEAR).count();
        out.println(failed
                ? "verdict: REGRESSION - at least one metric is worse than its threshold, with 95% confidence"
                : unclear > 0
                ? "verdict: unclear - no regression beyond the thresholds is supported, but " + unclear
                        + " metric(s) could not be decided either way (see the notes)"
                : "verdict: ok - no regression beyond the thresholds is supported by the data");
        out.flush();
        return failed ? 1 : 0;
    }

    /** An invalid run measured the generator as much as the target: the gate refuses it (exit 2) rather than judge it. */
    private static BenchmarkSummary usable(Path file, BenchmarkSummary s) {
        if (!s.valid()) {
            throw MeshproofException.usage(file + ": benchmark invalid, a gate cannot judge it: "
                    + String.join("; ", s.invalidReasons()), "rerun the benchmark so that it is valid (docs/benchmarks.md, 'Validity')");
        }
        return s;
    }

    private static String format(RegressionGate.Row r) {
        if (r.status() == RegressionGate.Status.NOT_COMPARED || r.status() == RegressionGate.Status.MISSING) {
            return String.format(Locale.ROOT, "%-11s %-9s %12s %12s %34s %10s  %s (%s)", r.mode(), r.metric(), "-", "-", "-",
                    "-", r.status().label(), r.note());
        }
        if (r.metric().equals(GateThresholds.ERROR_RATE)) {
            return String.format(Locale.ROOT, "%-11s %-9s %11.3f%% %11.3f%% %34s %9.3fpp  %s (%s)", r.mode(), r.metric(),
                    r.baseline(), r.current(), r.ci() == null ? String.format(Locale.ROOT, "%+.3fpp", r.delta())
                            : String.format(Locale.ROOT, "%+.3fpp [%+.3f, %+.3f]", r.delta(), r.ci().low(), r.ci().high()),
                    r.allowed(), r.status().label(), r.note());
        }
        String delta = r.ci() == null ? String.format(Locale.ROOT, "%+.1f µs [no interval]", r.delta())
                : String.format(Locale.ROOT, "%+.1f µs [%+.1f, %+.1f]", r.delta(), r.ci().low(), r.ci().high());
        return String.format(Locale.ROOT, "%-11s %-9s %9.1f µs %9.1f µs %34s %7.1f µs  %s%s", r.mode(), r.metric(), r.baseline(),
                r.current(), delta, r.allowed(), r.status().label(), r.note().isEmpty() ? "" : " (" + r.note() + ")");
    }
}
