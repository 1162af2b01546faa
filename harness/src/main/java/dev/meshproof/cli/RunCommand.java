package dev.meshproof.cli;

import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.mesh.MeshInstallers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meshproof run}: provision → install → (suites and benchmarks) → report, cleaning up after success, failure and Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Provision a cluster (k3s in Docker by default, or yours), install Istio, run, and write the report",
                "to the run directory (summary.json, summary.md, plan.txt, run.log; diagnostics/ on failure)."})
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

    @Override
    public Integer call() throws IOException {
        // Validate every flag and input file before anything is started.
        ClusterOptions cluster = clusterOptions.toOptions().withKeep(keep);
        MeshInstallers.Options meshOptions = mesh.toOptions(MeshOptionsMixin.parseMode(mode));
        RunDirectory run = out != null ? RunDirectory.at(out) : RunDirectory.createUnder(Path.of("reports", "runs"));
        PrintStream previous = System.err;
        try (OutputStream log = new FileOutputStream(run.resolve("run.log").toFile());
             PrintStream tee = new PrintStream(new Tee(previous, log), true, StandardCharsets.UTF_8)) {
            Progress.redirect(tee);
            Progress.step("run directory: " + run.root());
            try (Scope scope = new Scope("run")) {
                scope.keep(keep);
                RunPipeline pipeline = new RunPipeline(ClusterProviders.create(cluster, DockerEngines.get()),
                        c -> MeshInstallers.istio(c, meshOptions, run), run,
                        !cluster.kind().equals(ClusterOptions.K3S));
                pipeline.execute(scope);
            } finally {
                Progress.info("report: " + run.resolve("summary.md"));
            }
            return 0;
        } finally {
            Progress.redirect(previous);
        }
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
