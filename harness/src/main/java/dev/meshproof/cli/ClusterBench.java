package dev.meshproof.cli;

import dev.meshproof.bench.ClusterModeRunner;
import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.ModeRunner;
import dev.meshproof.bench.PodLoadExecutor;
import dev.meshproof.bench.PodPlacement;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Scope;

import java.time.Duration;
import java.util.Optional;

/**
 * Cluster mode of {@code bench} (no --target): a cluster, each mode's enrollment, and the agent workloads.
 * <p>
 * INTEGRATION: this branch has none of the three. Wire {@link #live()} to the foundation's ClusterProvider
 * (provision + scope), the mesh installer's namespace enrollment and waypoints ({@link ClusterModeRunner.ModeEnrollment}),
 * and {@code dev.meshproof.workload.Workloads} ({@link ClusterModeRunner.BenchWorkloads}); everything else
 * (namespaces, placement, running the engine in the client pod, copying results) is in {@link ClusterModeRunner}.
 */
public final class ClusterBench {
    /** What cluster mode needs from the rest of Meshproof. */
    public record Wiring(Cluster cluster, ClusterModeRunner.ModeEnrollment enrollment,
                         ClusterModeRunner.BenchWorkloads workloads, Scope scope) {
    }

    static final String NOT_WIRED = "cluster mode is not wired in this build (needs the cluster provider, the mesh "
            + "installer's mode enrollment and the agent workloads; see dev.meshproof.cli.ClusterBench)";

    private ClusterBench() {
    }

    /** The live wiring, when this build has it. */
    public static Optional<Wiring> live() {
        return Optional.empty();
    }

    static ModeRunner runner(LoadProfile profile) {
        Wiring w = live().orElseThrow(() -> MeshproofException.environment(NOT_WIRED,
                "run locally with --target http://HOST:PORT/ for the no-mesh baseline", null));
        return runner(profile, w);
    }

    /** The cluster-mode runner for a profile, from the live pieces. */
    public static ModeRunner runner(LoadProfile profile, Wiring w) {
        return new ClusterModeRunner(w.cluster(), w.enrollment(), w.workloads(),
                new PodLoadExecutor(w.cluster().client(), "256m"),
                new PodPlacement(w.cluster().client(), Duration.ofMinutes(3)), profile.placement(), w.scope());
    }
}
