package dev.meshproof.cli;

import dev.meshproof.agent.load.LoadEngine;
import dev.meshproof.bench.BenchmarkRunner;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.LocalModeRunner;
import dev.meshproof.bench.ModeRunner;
import dev.meshproof.bench.ProfileLoader;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.core.Interruption;
import dev.meshproof.core.Scope;
import dev.meshproof.report.InterruptedBench;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.workload.AgentImage;
import dev.meshproof.report.BenchmarkReport;
import dev.meshproof.report.ReportTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code meshproof bench}: runs a load profile and writes benchmark.json, the HdrHistogram logs, Markdown and
 * HTML tables, a percentile chart and Gatling's own report. With {@code --target URL} it runs locally against
 * that URL (the no-mesh baseline, no cluster); {@code bench compare} gates a run against a baseline.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = BenchCompareCommand.class,
        description = {"Latency benchmark: Gatling-driven open-model load, µs HdrHistogram measurement from intended send times.",
                "Local mode (--target URL) measures the no-mesh baseline against any URL; without --target the profile's modes run on a cluster."},
        footer = {"", "Profiles: a YAML file or one of smoke, seed-latency, istio-docs (schema: docs/benchmarks.md, 'Profiles').",
                "Exit codes: 0 ok, 1 the run is invalid (unsent arrivals, achieved rate < 99 %%, a percentile the generator moved by more than the gate allows; "
                        + "the reasons are printed), 2 bad profile or flag, 3 target unreachable or every request failed, "
                        + "4 internal error."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "FILE|NAME", defaultValue = "smoke",
            description = "Load profile: a YAML file or a bundled name (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--target", paramLabel = "URL", description = "Run locally against this http:// URL (no cluster; mode no-mesh).")
    String target;

    @Option(names = "--rate", paramLabel = "RPS", description = "Override the profile's request rate (requests per second).")
    Double rate;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Override the measured duration per repetition, e.g. 10s, 2m.")
    String duration;

    @Option(names = "--warmup", paramLabel = "DURATION", description = "Override the warm-up before each repetition, e.g. 3s.")
    String warmup;

    @Option(names = "--connections", paramLabel = "N", description = "Override the number of client connections.")
    Integer connections;

    @Option(names = "--repetitions", paramLabel = "N", description = "Override the repetitions per mode.")
    Integer repetitions;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: reports/runs/<timestamp>).")
    Path out;

    @Mixin
    ClusterOptionsMixin clusterOptions;

    @Mixin
    MeshOptionsMixin mesh;

    @Option(names = "--mesh-preinstalled", description = "Cluster mode: the mesh is already installed (a vendor's build); do not install or uninstall Istio.")
    boolean meshPreinstalled;

    @Option(names = "--agent-image", paramLabel = "REF", description = "Cluster mode: the agent image (default: meshproof/agent:<version>, built and imported on k3s; on other clusters it must be pullable).")
    String agentImage;

    @Option(names = "--agent-base", paramLabel = "REF", defaultValue = AgentImage.DEFAULT_BASE,
            description = "Cluster mode on k3s: the JRE base image the agent image is built on (default: ${DEFAULT-VALUE}).")
    String agentBase;

    @Option(names = "--keep", description = "Cluster mode: leave the cluster, the mesh and the benchmark namespaces up afterwards.")
    boolean keep;

    @Option(names = "--preload", paramLabel = "DIR|docker", description = "Cluster mode on k3s: before the install, import Istio's"
            + " images into every node from DIR (docker save tars) or from the local Docker engine (`meshproof images` lists them).")
    String preload;

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often to print a progress line (default: ${DEFAULT-VALUE}).")
    String progressEvery;

    @Option(names = "--gatling-report", description = "Also write Gatling's own HTML report per repetition (off by default:"
            + " Meshproof measures every request itself, and Gatling's per-request statistics cost the generator CPU).")
    boolean gatlingReport;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop the whole bench after this long (e.g. 30m), clean up, and exit 124 (summary.json says where it stopped).")
    String timeout;

    @Override
    public Integer call() {
        LoadProfile p = overrides(ProfileLoader.load(profile));
        Duration every = flagDuration("--progress-every", progressEvery);
        // Cluster mode: validate its flags and input files before anything is created or started.
        ClusterOptions cluster = target == null ? clusterOptions.toOptions().withKeep(keep) : null;
        MeshInstallers.Options meshOptions = target == null ? mesh.toOptions(MeshMode.AMBIENT) : null;
        Duration bound = timeout == null ? null : Durations.flag("--timeout", timeout);
        RunDirectory dir = out != null ? RunDirectory.at(out) : RunDirectory.createUnder(Path.of("reports", "runs"));
        ImageSource images = preload(cluster, dir);
        if (cluster != null) {
            ClusterBench.requirePlacementFits(p.placement(), cluster);
        }
        BenchmarkSummary summary;
        Interruption.install();
        java.util.concurrent.atomic.AtomicReference<BenchmarkRunner> running = new java.util.concurrent.atomic.AtomicReference<>();
        Interruption.onInterrupt(cause -> Progress.info("summary: " + InterruptedBench.write(dir.root(), cause.exitCode(), cause.description(),
                running.get() == null ? new BenchmarkRunner.State("setting up", List.of()) : running.get().state())));
        try (Scope scope = new Scope("bench"); AutoCloseable timer = bound == null ? () -> { } : Interruption.timeout(bound);
             ModeRunner runner = runner(p, cluster, meshOptions, images, dir, scope)) {
            if (!runner.supportedModes().containsAll(p.modes())) {
                Progress.info("local mode measures " + runner.supportedModes() + " only; the profile's other modes "
                        + p.modes() + " need a cluster (run without --target)");
                p = p.withModes(p.modes().stream().filter(runner.supportedModes()::contains).toList());
                if (p.modes().isEmpty()) {
                    p = p.withModes(runner.supportedModes());
                }
            }
            BenchmarkSummary.Environment environment = target != null ? BenchmarkSummary.Environment.local()
                    : ClusterBench.environment(cluster.kind(), meshOptions, meshPreinstalled, p.modes());
            BenchmarkRunner benchmark = new BenchmarkRunner(runner, every, environment).withGatlingReport(gatlingReport);
            running.set(benchmark);
            summary = benchmark.run(p, dir.root());
        } catch (LoadEngine.LoadRunException e) {
            throw MeshproofException.environment(e.getMessage(), "check that the target answers; the run's engine.log has details", e);
        } catch (MeshproofException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Path> files = BenchmarkReport.write(summary, dir.root());
        spec.commandLine().getOut().print(ReportTables.markdown(summary));
        spec.commandLine().getOut().println();
        files.forEach(f -> spec.commandLine().getOut().println("wrote " + f));
        spec.commandLine().getOut().println((gatlingReport ? "raw HdrHistogram logs and Gatling's report: " : "raw HdrHistogram logs: ") + dir.root().resolve("runs"));
        spec.commandLine().getOut().flush();
        for (BenchmarkSummary.ModeSummary m : summary.modes()) {
            if (m.requests() > 0 && m.errors() == m.requests()) {
                throw MeshproofException.environment("every request of mode " + m.name() + " failed: " + m.errorsByOutcome(),
                        "check that " + summary.target() + " is up and answers HTTP", null);
            }
        }
        if (!summary.valid()) {
            throw MeshproofException.checksFailed("benchmark invalid, it did not measure the load asked for: "
                    + String.join("; ", summary.invalidReasons()));
        }
        return 0;
    }

    /** The --preload source, validated before anything starts; null without the flag. */
    private ImageSource preload(ClusterOptions cluster, RunDirectory dir) {
        if (preload == null) {
            return null;
        }
        if (cluster == null) {
            throw flag("--preload", "imports images into the k3s of cluster mode; --target runs locally");
        }
        if (meshPreinstalled) {
            throw flag("--preload", "imports the images of the Istio Meshproof installs; with --mesh-preinstalled it installs none");
        }
        return PreloadOption.parse(preload, cluster, DockerEngines.get(), dir);
    }

    private ModeRunner runner(LoadProfile p, ClusterOptions cluster, MeshInstallers.Options meshOptions, ImageSource images,
                              RunDirectory dir, Scope scope) {
        if (target == null) {
            scope.keep(keep);
            ClusterBench.AgentImageChoice image = new ClusterBench.AgentImageChoice(
                    agentImage != null ? agentImage : AgentImage.defaultReference(), agentBase);
            return ClusterBench.runner(p, ClusterBench.provision(cluster, meshOptions, meshPreinstalled, image, images, p, dir, scope));
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw flag("--target", "not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw flag("--target", "must be an http:// URL with a host, got '" + target + "'");
        }
        return new LocalModeRunner(uri, LoadEngine.forked());
    }

    private LoadProfile overrides(LoadProfile p) {
        if (rate != null) {
            if (!(rate > 0)) {
                throw flag("--rate", "must be > 0, got " + rate);
            }
            p = p.withRate(rate);
        }
        if (duration != null) {
            Duration d = flagDuration("--duration", duration);
            if (d.isZero()) {
                throw flag("--duration", "must be longer than 0");
            }
            p = p.withDuration(d);
        }
        if (warmup != null) {
            p = p.withWarmup(flagDuration("--warmup", warmup));
        }
        if (connections != null) {
            if (connections < 1) {
                throw flag("--connections", "must be >= 1, got " + connections);
            }
            p = p.withConnections(connections);
        }
        if (repetitions != null) {
            if (repetitions < 1) {
                throw flag("--repetitions", "must be >= 1, got " + repetitions);
            }
            p = p.withRepetitions(repetitions);
        }
        return p;
    }

    private static Duration flagDuration(String flag, String value) {
        Duration d = ProfileLoader.parseDuration(value);
        if (d == null) {
            throw flag(flag, "must be a duration like 500ms, 10s, 2m or 1h, got '" + value + "'");
        }
        return d;
    }

    private static MeshproofException flag(String flag, String what) {
        return MeshproofException.usage(flag + ": " + what, "run 'meshproof bench --help' for usage");
    }

}
