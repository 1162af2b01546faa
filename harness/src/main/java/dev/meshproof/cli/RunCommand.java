package dev.meshproof.cli;

import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.ConformanceStage;
import dev.meshproof.conformance.Level;
import dev.meshproof.conformance.Timeouts;
import dev.meshproof.core.Interruption;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.workload.AgentImage;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.Implementations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meshproof run}: provision → install → (suites and benchmarks) → report, cleaning up after success, failure and Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Provision a cluster (k3s in Docker by default, or yours), install Istio, run the conformance checks that apply",
                "to the installed mode, and write the report to the run directory (summary.json, summary.md, plan.txt, run.log,",
                "checks/<id>/<data plane>/ with each check's evidence and verdict; junit.xml, conformance-report.yaml, report.html and",
                "allure-results/; diagnostics/ on failure).",
                "Exit 0: every check passed; 1: a check failed or was inconclusive; 2: bad usage; 3: environment; 4: internal."})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ClusterOptionsMixin clusterOptions;

    @Mixin
    MeshOptionsMixin mesh;

    @Option(names = "--mode", defaultValue = "ambient", description = "ambient, sidecar or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--keep", description = "Leave the cluster and the mesh up afterwards (also after a failure), to look around.")
    boolean keep;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: reports/runs/<UTC timestamp>).")
    Path out;

    @Option(names = "--checks", split = ",", paramLabel = "ID", description = "Run only these conformance checks (default: all that apply to the installed mode; `meshproof checks` lists them).")
    List<String> checks = new ArrayList<>();

    @Option(names = "--skip", split = ",", paramLabel = "ID", description = "Do not run these checks.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--level", defaultValue = "extended", paramLabel = "LEVEL", description = "core: core checks only; extended: core and extended (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--parallel", defaultValue = "1", paramLabel = "N", description = "Run up to N checks at once, each in its own namespaces (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--no-checks", description = "Install and stop: run no conformance check.")
    boolean noChecks;

    @Option(names = "--hold", defaultValue = "5", paramLabel = "SECONDS", description = "How long each checked state must hold once reached (default: ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop the whole run after this long (e.g. 45m), clean up, and exit 124 with the summary saying where it stopped.")
    String timeout;

    @Option(names = "--agent-image", paramLabel = "REF", description = "The agent image the checks' workloads run (default: meshproof/agent:<version>, built and imported on k3s; on other clusters it must be pullable).")
    String agentImage;

    @Option(names = "--agent-base", paramLabel = "REF", defaultValue = AgentImage.DEFAULT_BASE, description = "Base image to build the agent on (k3s; default: ${DEFAULT-VALUE}).")
    String agentBase;

    @Option(names = "--preload", paramLabel = "DIR|docker", description = "Before the install, import Istio's images into k3s from DIR"
            + " (docker save tars) or from the local Docker engine, so the install pulls nothing (`meshproof images` lists them).")
    String preload;

    @Mixin
    ImplementationOption implementation;

    @Override
    public Integer call() throws Exception {
        // Validate every flag and input file before anything is started.
        ConformanceReport.Implementation declared = implementation.parse();
        ClusterOptions cluster = clusterOptions.toOptions().withKeep(keep);
        MeshInstallers.Options meshOptions = mesh.toOptions(MeshOptionsMixin.parseMode(mode));
        ConformanceStage conformance = conformance();
        Duration bound = timeout == null ? null : Durations.flag("--timeout", timeout);
        RunDirectory run = out != null ? RunDirectory.at(out) : RunDirectory.createUnder(Path.of("reports", "runs"));
        if (declared != null) {
            Implementations.declare(run.root(), declared);
        }
        ImageSource images = PreloadOption.parse(preload, cluster, DockerEngines.get(), run);
        PrintStream previous = System.err;
        try (OutputStream log = new FileOutputStream(run.resolve("run.log").toFile());
             PrintStream tee = new PrintStream(new Tee(previous, log), true, StandardCharsets.UTF_8)) {
            Progress.redirect(tee);
            Progress.step("run directory: " + run.root());
            Interruption.install();
            try (Scope scope = new Scope("run"); AutoCloseable timer = bound == null ? () -> { } : Interruption.timeout(bound)) {
                scope.keep(keep);
                RunPipeline pipeline = new RunPipeline(ClusterProviders.create(cluster, DockerEngines.get()),
                        PreloadOption.first(images, c -> MeshInstallers.istio(c, meshOptions, run), meshOptions, run), run,
                        !cluster.kind().equals(ClusterOptions.K3S), conformance);
                return pipeline.execute(scope).exitCode().code();
            } finally {
                Progress.info("report: " + run.resolve("summary.md"));
            }
        } finally {
            Progress.redirect(previous);
        }
    }

    /** The selected checks, validated before anything starts (an unknown id or level is exit 2). */
    private ConformanceStage conformance() {
        Level lvl = switch (level) {
            case "core" -> Level.CORE;
            case "extended" -> Level.EXTENDED;
            default -> throw MeshproofException.usage("--level must be core or extended, not '" + level + "'", "meshproof run --help");
        };
        if (parallel < 1 || parallel > 16) {
            throw MeshproofException.usage("--parallel must be between 1 and 16, not " + parallel, "each parallel check deploys its own workloads");
        }
        if (holdSeconds < 1 || holdSeconds > 600) {
            throw MeshproofException.usage("--hold must be between 1 and 600 seconds, not " + holdSeconds, "meshproof run --help");
        }
        List<CheckCatalog.Entry> selected = noChecks ? List.of() : CheckCatalog.load().select(checks, skip, lvl);
        return ConformanceStage.live(selected, agentImage != null ? agentImage : AgentImage.defaultReference(), agentBase,
                Timeouts.defaults().withHold(Duration.ofSeconds(holdSeconds)), parallel);
    }

    /** Progress lines go to the terminal and to run.log. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
