package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshSession;
import dev.meshproof.mesh.MeshValues;
import dev.meshproof.mesh.PlanPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meshproof install}: install or uninstall the mesh on a cluster, or print the ordered plan (--dry-run). */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install Istio (ambient, sidecar or both) on a cluster, or uninstall it.",
                "--dry-run prints the ordered plan without touching any cluster or the network."})
public final class InstallCommand implements Callable<Integer> {

    @Mixin
    MeshOptionsMixin mesh;

    @Option(names = "--mode", defaultValue = "ambient", description = "ambient, sidecar or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Mixin
    ClusterOptionsMixin clusterOptions;

    @Option(names = "--uninstall", description = "Remove what a Meshproof install created (per its in-cluster inventory), in reverse order.")
    boolean uninstall;

    @Option(names = "--dry-run", description = "Print the ordered plan; touch no cluster and no network.")
    boolean dryRun;

    @Option(names = "--platform", paramLabel = "k3s|generic", description = "With --dry-run: the platform to plan for (default: k3s). A real install reads it from the cluster.")
    String platform;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: reports/runs/<timestamp>).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MeshMode meshMode = MeshOptionsMixin.parseMode(mode);
        Versions versions = mesh.versions();
        MeshValues values = mesh.values();
        MeshInstallers.Options options = mesh.toOptions(meshMode);
        if (dryRun) {
            if (uninstall) {
                throw MeshproofException.usage("--dry-run prints the install plan; it cannot be combined with --uninstall",
                        "drop one of the two flags");
            }
            InstallPlan plan = IstioPlanner.plan(meshMode, parsePlatform(platform), Optional.empty(), versions, values);
            spec.commandLine().getOut().print(PlanPrinter.print(plan, options.chartSource().describe()));
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (platform != null) {
            throw MeshproofException.usage("--platform only applies to --dry-run", "a real install reads the platform from the cluster");
        }
        ClusterOptions cluster = existingCluster(clusterOptions.toOptions());
        RunDirectory run = out != null ? RunDirectory.at(out) : RunDirectory.createUnder(Path.of("reports", "runs"));
        try (Scope scope = new Scope("install")) {
            Cluster target = ClusterProviders.create(cluster, DockerEngines.get()).provision(run, scope);
            MeshInstaller installer = MeshInstallers.istio(target, options, run);
            try {
                if (uninstall) {
                    installer.uninstall();
                } else {
                    installer.install();
                    Progress.info("Istio " + installer.plan().istioVersion() + " (" + meshMode.flag()
                            + ") is installed; remove it with: meshproof install --uninstall");
                }
            } catch (RuntimeException e) {
                MeshSession.dumpAfterFailedInstall(target, run, installer);
                throw e;
            }
        }
        return 0;
    }

    /**
     * install works on a cluster that outlives it: the user's (--cluster kubeconfig), or the k3s that
     * {@code meshproof cluster up} keeps running (the default --cluster k3s picks up its kubeconfig).
     */
    static ClusterOptions existingCluster(ClusterOptions options) {
        if (!options.kind().equals(ClusterOptions.K3S)) {
            return options;
        }
        if (options.registryMirror() != null) {
            throw MeshproofException.usage("--registry-mirror applies when k3s starts, and install uses a k3s that is running already",
                    "pass it to 'meshproof cluster up' (or to 'meshproof run')");
        }
        if (options.nodes() != 1) {
            throw MeshproofException.usage("--nodes applies when k3s starts, and install uses a k3s that is running already",
                    "pass it to 'meshproof cluster up' (or to 'meshproof run')");
        }
        Path upKubeconfig = ClusterCommand.defaultDir().resolve("kubeconfig.yaml");
        if (!Files.isRegularFile(upKubeconfig)) {
            throw MeshproofException.usage("install needs a running cluster, and no 'meshproof cluster up' k3s was found ("
                            + upKubeconfig.toAbsolutePath() + " is missing)",
                    "start one with 'meshproof cluster up', pass --cluster kubeconfig --kubeconfig FILE, or use 'meshproof run', which starts k3s itself");
        }
        Progress.info("using the k3s started by 'meshproof cluster up' (" + upKubeconfig.toAbsolutePath() + ")");
        return new ClusterOptions(ClusterOptions.KUBECONFIG, upKubeconfig, null, null, options.pullTimeout(), false);
    }

    static Cluster.Platform parsePlatform(String value) {
        if (value == null || value.equals("k3s")) {
            return Cluster.Platform.K3S;
        }
        if (value.equals("generic")) {
            return Cluster.Platform.GENERIC;
        }
        throw MeshproofException.usage("unknown --platform '" + value + "'", "use k3s or generic");
    }
}
