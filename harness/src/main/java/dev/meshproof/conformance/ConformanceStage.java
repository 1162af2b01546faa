package dev.meshproof.conformance;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.diagnostics.DiagnosticsDump;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.workload.AgentImage;

import java.util.List;
import java.util.Map;

/**
 * The conformance step of {@code meshproof run}, after the mesh is installed: make the agent image available, then
 * run the selected checks against the live mesh (port-forwarded clients, ztunnel's metrics and logs) in the data
 * planes the install provides, dumping a failed check's namespaces and the mesh's into its evidence directory.
 *
 * @param selected   the checks chosen by --checks, --skip and --level
 * @param agentImage the agent image reference and the base to build it on (k3s imports it)
 * @param meshAccess how checks reach the mesh (live; tests script it)
 */
public record ConformanceStage(List<CheckCatalog.Entry> selected, String agentImage, String agentBase, Timeouts timeouts, int parallel,
                               java.util.function.Function<io.fabric8.kubernetes.client.KubernetesClient, MeshAccess> meshAccess) {

    /** Against the live mesh: port-forwarded clients, ztunnel's metrics and logs. */
    public static ConformanceStage live(List<CheckCatalog.Entry> selected, String agentImage, String agentBase, Timeouts timeouts, int parallel) {
        return new ConformanceStage(selected, agentImage, agentBase, timeouts, parallel, LiveMeshAccess::new);
    }

    public List<CheckResult> run(Cluster cluster, MeshMode mode, String istioVersion, RunDirectory run, dev.meshproof.core.Scope scope) {
        Map<CheckCatalog.Entry, List<DataPlane>> plan = ConformanceRun.plan(selected, DataPlane.providedBy(mode));
        if (plan.values().stream().anyMatch(p -> !p.isEmpty())) {
            AgentImage.makeAvailable(cluster, agentImage, agentBase, run);
        }
        CheckEnvironment env = new CheckEnvironment(cluster.client(), mode, istioVersion, agentImage, run.root(),
                run.root().getFileName().toString(), timeouts, meshAccess.apply(cluster.client()), Map.of(),
                (namespaces, dir) -> DiagnosticsDump.defaults(cluster.client()).collect(RunDirectory.at(dir), namespaces, List.of()), scope);
        return new ConformanceRun(env, parallel).run(plan);
    }
}
