package dev.meshproof.cli;

import dev.meshproof.bench.AgentBenchWorkloads;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.ClusterModeRunner;
import dev.meshproof.bench.DataPath;
import dev.meshproof.bench.IstioModeEnrollment;
import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.MetricsServerMeter;
import dev.meshproof.bench.ModeRunner;
import dev.meshproof.bench.PodLoadExecutor;
import dev.meshproof.bench.PodPlacement;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.ClusterProviders;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshSession;
import dev.meshproof.mesh.ObjectApplier;
import dev.meshproof.mesh.Waypoints;
import dev.meshproof.workload.AgentImage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Cluster mode of {@code bench} (no --target): provisions the cluster, installs the Istio the profile's modes
 * need (unless the mesh is already there), makes the agent image available, and wires each mode's enrollment
 * and workloads into {@link ClusterModeRunner}. Everything created registers its cleanup in the scope.
 */
public final class ClusterBench {
    /** What cluster mode needs from the rest of Meshproof. */
    public record Wiring(Cluster cluster, ClusterModeRunner.ModeEnrollment enrollment,
                         ClusterModeRunner.BenchWorkloads workloads, Scope scope) {
    }

    /** The agent image: its reference, and the base to build it on when the cluster can import images (k3s). */
    public record AgentImageChoice(String reference, String base) {
    }

    private ClusterBench() {
    }

    /**
     * The Istio install a set of modes needs: none for no-mesh alone; sidecar; ambient (waypoints included);
     * hybrid when sidecar and ambient modes are compared in one cluster.
     */
    static Optional<MeshMode> meshFor(Collection<DataPath> modes) {
        boolean sidecar = modes.contains(DataPath.SIDECAR);
        boolean ambient = modes.contains(DataPath.AMBIENT_L4) || modes.contains(DataPath.AMBIENT_L7);
        if (sidecar && ambient) {
            return Optional.of(MeshMode.HYBRID);
        }
        if (sidecar) {
            return Optional.of(MeshMode.SIDECAR);
        }
        return ambient ? Optional.of(MeshMode.AMBIENT) : Optional.empty();
    }

    /** What a cluster benchmark records about where it ran (compared by {@code bench compare}). */
    public static BenchmarkSummary.Environment environment(String clusterKind, MeshInstallers.Options mesh,
                                                           boolean meshPreinstalled, Collection<DataPath> modes) {
        Optional<MeshMode> needed = meshFor(modes);
        String version = needed.isEmpty() ? "none" : meshPreinstalled ? "preinstalled" : mesh.versions().istio().version();
        return new BenchmarkSummary.Environment(clusterKind, version, needed.map(MeshMode::flag).orElse("none"));
    }

    /**
     * Exit 2, before anything starts, when the profile's placement cannot hold on the cluster the options start:
     * cross-node on a single k3s node. (On the user's cluster {@link #prepare} asks its nodes.)
     */
    static void requirePlacementFits(LoadProfile.Placement placement, ClusterOptions cluster) {
        if (placement == LoadProfile.Placement.CROSS_NODE && cluster.startsK3s() && cluster.nodes() < 2) {
            throw MeshproofException.usage("placement cross-node needs two schedulable nodes; --nodes " + cluster.nodes()
                    + " starts one k3s node", PodPlacement.CROSS_NODE_HINT);
        }
    }

    /** Provisions and prepares the cluster for {@code profile}; the returned wiring lives as long as {@code scope}. */
    static Wiring provision(ClusterOptions clusterOptions, MeshInstallers.Options mesh, boolean meshPreinstalled,
                            AgentImageChoice image, ImageSource preload, LoadProfile profile, RunDirectory run, Scope scope) {
        Cluster cluster = Progress.timed("provision cluster (" + clusterOptions.kind() + ")",
                () -> ClusterProviders.create(clusterOptions, DockerEngines.get()).provision(run, scope));
        return prepare(cluster, !clusterOptions.kind().equals(ClusterOptions.K3S), mesh, meshPreinstalled, image, preload, profile, run, scope);
    }

    /** {@link #prepare(Cluster, boolean, MeshInstallers.Options, boolean, AgentImageChoice, ImageSource, LoadProfile, RunDirectory, Scope)} without preload. */
    public static Wiring prepare(Cluster cluster, boolean usersCluster, MeshInstallers.Options mesh, boolean meshPreinstalled,
                                 AgentImageChoice image, LoadProfile profile, RunDirectory run, Scope scope) {
        return prepare(cluster, usersCluster, mesh, meshPreinstalled, image, null, profile, run, scope);
    }

    /**
     * Prepares a running cluster: the placement checked against its nodes (before anything is installed), the mesh
     * the profile's modes need (its images preloaded first when asked), the agent image, and the wiring.
     *
     * @param usersCluster uninstall the mesh again at the end (a k3s container is simply removed)
     * @param preload      where {@code --preload} takes Istio's images from; null: the nodes pull them
     */
    public static Wiring prepare(Cluster cluster, boolean usersCluster, MeshInstallers.Options mesh, boolean meshPreinstalled,
                                 AgentImageChoice image, ImageSource preload, LoadProfile profile, RunDirectory run, Scope scope) {
        new PodPlacement(cluster.client(), Duration.ofMinutes(3)).choose(profile.placement());
        Optional<MeshMode> needed = meshFor(profile.modes());
        if (needed.isPresent() && meshPreinstalled) {
            Progress.info("using the mesh already installed on the cluster (--mesh-preinstalled); the modes need " + needed.get().flag());
        } else if (needed.isPresent()) {
            MeshInstallers.Options modeOptions = mesh.withMode(needed.get());
            MeshInstaller installer = PreloadOption.first(preload, c -> MeshInstallers.istio(c, modeOptions, run), modeOptions, run)
                    .apply(cluster);
            MeshSession.install(cluster, installer, run, scope, usersCluster, Progress::timed);
        } else if (preload != null) {
            Progress.info("--preload: nothing to import, the profile's modes " + profile.modes() + " need no mesh");
        }
        AgentImage.makeAvailable(cluster, image.reference(), image.base(), run);
        Waits waits = new Waits(mesh.timeout(), Duration.ofSeconds(2), Duration.ofSeconds(10));
        return new Wiring(cluster,
                new IstioModeEnrollment(new Enrollment(cluster.client()), new Waypoints(cluster.client(), ObjectApplier.serverSide(cluster.client()), waits)),
                new AgentBenchWorkloads(cluster.client(), image.reference(), waits), scope);
    }

    /** The cluster-mode runner for a profile, from the live pieces. */
    public static ModeRunner runner(LoadProfile profile, Wiring w) {
        return new ClusterModeRunner(w.cluster(), w.enrollment(), w.workloads(),
                new PodLoadExecutor(w.cluster().client())::run,
                new PodPlacement(w.cluster().client(), Duration.ofMinutes(3)), profile.placement(),
                new MetricsServerMeter(w.cluster().client(), Duration.ofSeconds(5)), w.scope());
    }
}
