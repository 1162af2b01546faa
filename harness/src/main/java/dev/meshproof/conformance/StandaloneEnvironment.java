package dev.meshproof.conformance;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.diagnostics.DiagnosticsDump;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.workload.AgentImage;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The environment of a check started outside {@code meshproof run} — from an IDE, or
 * {@code ./mvnw -pl suites test -Dtest=AllChecksSuite}: the cluster named by {@code MESHPROOF_KUBECONFIG}
 * (optionally {@code MESHPROOF_CONTEXT}), where the mesh is already installed and the agent image can run.
 *
 * <ul>
 *   <li>{@code MESHPROOF_MESH_MODE}: ambient (default), sidecar or hybrid — the data planes to check;</li>
 *   <li>{@code MESHPROOF_AGENT_IMAGE}: the agent image the nodes can pull (default {@code meshproof/agent:<version>});</li>
 *   <li>{@code MESHPROOF_RUN_DIR}: where evidence goes (default {@code reports/runs/<timestamp>}).</li>
 * </ul>
 * Without {@code MESHPROOF_KUBECONFIG} there is none, and the checks are skipped with one line saying so.
 */
final class StandaloneEnvironment {
    private static volatile Optional<CheckEnvironment> cached;

    private StandaloneEnvironment() {
    }

    static synchronized Optional<CheckEnvironment> get() {
        if (cached == null) {
            cached = from(System.getenv());
        }
        return cached;
    }

    static Optional<CheckEnvironment> from(Map<String, String> env) {
        String kubeconfig = env.get("MESHPROOF_KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            return Optional.empty();
        }
        MeshMode mode = MeshMode.valueOf(env.getOrDefault("MESHPROOF_MESH_MODE", "ambient").toUpperCase(Locale.ROOT));
        RunDirectory run = env.containsKey("MESHPROOF_RUN_DIR") ? RunDirectory.at(Path.of(env.get("MESHPROOF_RUN_DIR")))
                : RunDirectory.createUnder(Path.of("reports", "runs"));
        Scope scope = new Scope("standalone checks"); // closed by its shutdown hook when the JVM ends
        Cluster cluster = new KubeconfigClusterProvider(Path.of(kubeconfig), env.get("MESHPROOF_CONTEXT")).provision(run, scope);
        return Optional.of(new CheckEnvironment(cluster.client(), mode, installedIstioVersion(cluster),
                env.getOrDefault("MESHPROOF_AGENT_IMAGE", AgentImage.defaultReference()), run.root(), run.root().getFileName().toString(),
                Timeouts.defaults(), new LiveMeshAccess(cluster.client()), Map.of(),
                (namespaces, dir) -> DiagnosticsDump.defaults(cluster.client()).collect(RunDirectory.at(dir), namespaces, List.of()), scope));
    }

    /** The tag of istiod's image (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/deployment.yaml), or "unknown". */
    private static String installedIstioVersion(Cluster cluster) {
        Deployment istiod = cluster.client().apps().deployments().inNamespace(LiveMeshAccess.ISTIO_NAMESPACE).withName("istiod").get();
        if (istiod == null) {
            return "unknown";
        }
        String image = istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        int colon = image.lastIndexOf(':');
        return colon < 0 ? "unknown" : image.substring(colon + 1).replaceFirst("-distroless$", "");
    }
}
