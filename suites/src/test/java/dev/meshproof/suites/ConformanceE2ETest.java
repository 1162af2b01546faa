package dev.meshproof.suites;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.CheckEnvironment;
import dev.meshproof.conformance.ConformanceRun;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.conformance.LiveMeshAccess;
import dev.meshproof.conformance.Timeouts;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.diagnostics.DiagnosticsDump;
import dev.meshproof.e2e.LiveCluster;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshSession;
import dev.meshproof.suites.mutations.CollectorDown;
import dev.meshproof.suites.mutations.DenyPolicyNotApplied;
import dev.meshproof.suites.mutations.HttpRouteRemoved;
import dev.meshproof.suites.mutations.HttpRouteWithoutWaypoint;
import dev.meshproof.suites.mutations.StrictReplacedByPermissive;
import dev.meshproof.suites.mutations.WaypointRemoved;
import dev.meshproof.suites.mutations.VirtualServiceRemoved;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict.Status;
import dev.meshproof.workload.AgentImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live tier of the checks (real k3s or MESHPROOF_KUBECONFIG, real Istio in hybrid mode so both data planes
 * run): every check passes on a working mesh, and the mutations — PERMISSIVE instead of STRICT, the deny policy
 * never applied, the waypoint removed under an L7 policy, the route removed (HTTPRoute, VirtualService), an HTTPRoute
 * without a waypoint in ambient, the collector down — are judged FAIL (the collector: never PASS) by the real checks'
 * verdicts. Skipped with one line where no cluster can run.
 */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceE2ETest {
    private final Scope scope = new Scope("conformance-e2e");
    private RunDirectory run;
    private Cluster cluster;

    @BeforeAll
    void installHybridIstio(Cluster cluster) throws Exception {
        this.cluster = cluster;
        run = RunDirectory.at(Files.createTempDirectory("meshproof-conformance-e2e"));
        MeshInstaller installer = MeshInstallers.istio(cluster, MeshInstallers.Options.defaults().withMode(MeshMode.HYBRID), run);
        MeshSession.install(cluster, installer, run, scope, true, dev.meshproof.core.Progress::timed);
        AgentImage.makeAvailable(cluster, AgentImage.defaultReference(), AgentImage.DEFAULT_BASE, run);
    }

    @AfterAll
    void uninstall() {
        scope.close();
    }

    private List<CheckResult> run(CheckCatalog catalog, Path out) {
        CheckEnvironment env = new CheckEnvironment(cluster.client(), MeshMode.HYBRID, "1.29.6", AgentImage.defaultReference(), out, "e2e",
                Timeouts.defaults(), new LiveMeshAccess(cluster.client()), Map.of(),
                (namespaces, dir) -> DiagnosticsDump.defaults(cluster.client()).collect(RunDirectory.at(dir), namespaces, List.of()), scope);
        return new ConformanceRun(env, 2).run(ConformanceRun.plan(catalog.select(List.of(), List.of(), Level.EXTENDED),
                DataPlane.providedBy(MeshMode.HYBRID)));
    }

    @Test
    void everyCheckPassesOnAWorkingMesh() throws Exception {
        List<CheckResult> results = run(CheckCatalog.load(), run.resolve("working"));
        assertThat(results).allSatisfy(r -> assertThat(r.verdict().status()).as(r.check() + " " + r.dataPlane() + ": " + r.verdict().line())
                .isEqualTo(Status.PASS));
    }

    @Test
    void mutationsFlipTheVerdictsToFail() throws Exception {
        List<CheckResult> results = run(CheckCatalog.of(List.of(new StrictReplacedByPermissive(), new DenyPolicyNotApplied(), new WaypointRemoved(),
                new CollectorDown(), new HttpRouteRemoved(), new VirtualServiceRemoved(), new HttpRouteWithoutWaypoint())), run.resolve("mutations"));
        // both data planes each, except the waypoint mutations (ambient only)
        assertThat(results).hasSize(12).allSatisfy(r -> assertThat(r.verdict().status()).as(r.check() + " " + r.dataPlane())
                // no collector: the spans cannot be read, which is INCONCLUSIVE (absent evidence), never PASS
                .isIn(r.check().equals("mutation-collector-down") ? List.of(Status.FAIL, Status.INCONCLUSIVE) : List.of(Status.FAIL)));
    }
}
