package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import dev.meshproof.evidence.DiagnosticsDump;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshValues;
import dev.meshproof.mesh.PlanPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code meshproof install}: install or uninstall the mesh on a cluster, or print the ordered plan (--dry-run). */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Install Istio (ambient, sidecar or both) on a cluster, or uninstall it.",
                "--dry-run prints the ordered plan without touching any cluster or the network."})
public final class InstallCommand implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "ambient", description = "ambient, sidecar or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--istio-version", description = "Istio version to install (default: the pinned version in versions.yaml).")
    String istioVersion;

    @Option(names = "--values", paramLabel = "FILE", description = "Chart values, one section per chart: global, base, istiod, cni, ztunnel.")
    Path valuesFile;

    @Option(names = "--charts-dir", paramLabel = "DIR", description = "Use charts (<name>-<version>.tgz) and the Gateway API manifest from DIR; nothing is fetched.")
    Path chartsDir;

    @Option(names = "--chart-repository", paramLabel = "URL", description = "Helm chart repository (default: the pinned Istio repository).")
    String chartRepository;

    @Option(names = "--uninstall", description = "Remove what a Meshproof install created (per its in-cluster inventory), in reverse order.")
    boolean uninstall;

    @Option(names = "--dry-run", description = "Print the ordered plan; touch no cluster and no network.")
    boolean dryRun;

    @Option(names = "--platform", paramLabel = "k3s|generic", description = "With --dry-run: the platform to plan for (default: k3s). A real install reads it from the cluster.")
    String platform;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the cluster.")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubeconfig context (default: its current context).")
    String context;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: reports/runs/<timestamp>).")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Bound on each wait (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MeshMode meshMode = parseMode(mode);
        Versions versions = versions();
        MeshValues values = valuesFile == null ? MeshValues.none() : MeshValues.load(valuesFile);
        MeshInstallers.Options options = new MeshInstallers.Options(meshMode, versions, values, chartsDir, timeout());
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
        RunDirectory run = out != null ? RunDirectory.at(out) : RunDirectory.createUnder(Path.of("reports", "runs"));
        try (Scope scope = new Scope("install")) {
            Cluster cluster = connect(run, scope);
            MeshInstaller installer = MeshInstallers.istio(cluster, options, run);
            try {
                if (uninstall) {
                    installer.uninstall();
                } else {
                    installer.install();
                    Progress.info("Istio " + installer.plan().istioVersion() + " (" + meshMode.flag()
                            + ") is installed; remove it with: meshproof install --uninstall");
                }
            } catch (RuntimeException e) {
                dumpDiagnostics(cluster, run, installer);
                throw e;
            }
        }
        return 0;
    }

    /** The bounded dump of istio-system and every enrolled namespace, into the run directory. */
    static void dumpDiagnostics(Cluster cluster, RunDirectory run, MeshInstaller installer) {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(installer.plan().namespace());
        try {
            namespaces.addAll(new Enrollment(cluster.client()).enrolledNamespaces());
        } catch (RuntimeException e) {
            Progress.info("cannot list enrolled namespaces for diagnostics: " + e.getMessage());
        }
        DiagnosticsDump.defaults(cluster.client()).collect(run, namespaces, installer.appliedManifests());
    }

    /**
     * Cluster selection, kept in this one method: the integrator replaces it with the shared cluster options
     * (--cluster k3s|kubeconfig) from the cluster branch.
     */
    private Cluster connect(RunDirectory run, Scope scope) {
        return new KubeconfigClusterProvider(kubeconfig, context).provision(run, scope);
    }

    private Versions versions() {
        Versions v = Versions.defaults();
        if (istioVersion != null) {
            v = v.withIstioVersion(istioVersion);
        }
        if (chartRepository != null) {
            v = new Versions(new Versions.Istio(v.istio().version(), v.istio().hub(), chartRepository), v.gatewayApi(), v.k3s());
        }
        return v;
    }

    private Duration timeout() {
        if (timeoutSeconds < 1) {
            throw MeshproofException.usage("--timeout must be at least 1 second, not " + timeoutSeconds, "pass e.g. --timeout 300");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    static MeshMode parseMode(String value) {
        for (MeshMode m : MeshMode.values()) {
            if (m.flag().equals(value)) {
                return m;
            }
        }
        throw MeshproofException.usage("unknown --mode '" + value + "'", "use ambient, sidecar or hybrid");
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
