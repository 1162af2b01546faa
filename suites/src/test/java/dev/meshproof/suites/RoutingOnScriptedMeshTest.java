package dev.meshproof.suites;

import dev.meshproof.cli.CliRunner;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.mesh.GatewayApi;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.suites.mutations.HttpRouteRemoved;
import dev.meshproof.suites.mutations.HttpRouteWithoutWaypoint;
import dev.meshproof.suites.mutations.VirtualServiceRemoved;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing checks (VirtualService and GAMMA HTTPRoute header routing, the HTTPRoute weighted split) end to end on the
 * fabric8 mock API server with the {@link ScriptedMesh} and its {@link ScriptedRouting}: a well-behaved mesh passes in
 * both data planes; a mesh that ignores routes, one that never accepts them, one that splits evenly whatever the
 * weights, and the live tier's mutations (route removed, no waypoint in ambient) each FAIL the checks they break.
 */
@EnableKubernetesMockClient(crud = true)
class RoutingOnScriptedMeshTest {
    static final List<String> ROUTING = List.of("route-virtualservice-header", "route-httproute-header", "route-httproute-weighted");

    KubernetesClient client;

    @TempDir
    Path run;

    private Map<String, CheckResult> byKey(List<CheckResult> results) {
        Map<String, CheckResult> out = new LinkedHashMap<>();
        results.forEach(r -> out.put(r.check() + (r.dataPlane() == null ? "" : "[" + r.dataPlane() + "]"), r));
        return out;
    }

    private Map<String, CheckResult> run(MeshMode mode, List<String> only, Fault... faults) {
        return byKey(ScriptedRun.run(client, run, mode, only, faults));
    }

    private void assertNothingLeftBehind() {
        assertThat(client.namespaces().withLabel("meshproof.dev/check").list().getItems()).as("check namespaces deleted").isEmpty();
        for (String kind : List.of("networking.istio.io/v1/VirtualService", "networking.istio.io/v1/DestinationRule", GatewayApi.API_VERSION + "/HTTPRoute")) {
            int slash = kind.lastIndexOf('/');
            assertThat(IstioKinds.operations(client, kind.substring(0, slash), kind.substring(slash + 1)).inAnyNamespace().list().getItems())
                    .as(kind + " deleted").isEmpty();
        }
    }

    private static String reasons(CheckResult r) {
        return String.join("\n", r.verdict().reasons());
    }

    @Test
    void aWellBehavedAmbientMeshPassesEveryRoutingCheckThroughTheWaypointAndVerdictRecomputesIt() throws Exception {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, ROUTING);

        assertThat(results).hasSize(3).allSatisfy((key, r) -> assertThat(r.verdict().status()).as(key + ": " + r.verdict().line()).isEqualTo(Status.PASS));
        assertThat(reasons(results.get("route-httproute-weighted[ambient]")))
                .containsPattern("'400 calls without the header split 80/20 between v1 and v2': v2's share \\d+(\\.\\d)?% \\(\\d+/400\\), 99.9% Clopper–Pearson interval")
                .contains("contains the configured 20%, excludes 50% (the spread without the route)");
        assertThat(reasons(results.get("route-httproute-header[ambient]"))).contains("ResolvedWaypoints: All waypoints resolved")
                .contains("Accepted True (Accepted: Route was valid) at generation 1");
        assertThat(run.resolve("checks/route-httproute-header/ambient/status")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("HTTPRoute_"));
        assertNothingLeftBehind();

        CliRunner verdict = CliRunner.run("verdict", run.toString());
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        assertThat(verdict.out()).contains("PASS         route-httproute-weighted [ambient] (as recorded)").doesNotContain("FAIL");
    }

    @Test
    void aWellBehavedSidecarMeshPassesEveryRoutingCheckAtTheClientsSidecar() {
        Map<String, CheckResult> results = run(MeshMode.SIDECAR, ROUTING);

        assertThat(results).hasSize(3).allSatisfy((key, r) -> assertThat(r.verdict().status()).as(key + ": " + r.verdict().line()).isEqualTo(Status.PASS));
        assertThat(reasons(results.get("route-httproute-header[sidecar]"))).doesNotContain("ResolvedWaypoints");
        assertNothingLeftBehind();
    }

    @Test
    void aMeshThatIgnoresRoutesFailsEveryRoutingCheck() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, ROUTING, Fault.IGNORES_ROUTES);

        assertThat(results).hasSize(3).allSatisfy((key, r) -> assertThat(r.verdict().status()).as(key).isEqualTo(Status.FAIL));
        assertThat(reasons(results.get("route-virtualservice-header[ambient]")))
                .contains("'with x-meshproof-version: v2 answered by v2' (GET http://echo.").contains("not met");
        assertThat(reasons(results.get("route-httproute-weighted[ambient]"))).contains("v2's share 50% (200/400)").contains("excludes the configured 20%");
        assertNothingLeftBehind();
    }

    @Test
    void aRouteIstioNeverAcceptsFailsWithTheConditionsMessage() {
        CheckResult r = run(MeshMode.SIDECAR, List.of("route-httproute-header"), Fault.ROUTE_NOT_ACCEPTED).get("route-httproute-header[sidecar]");

        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(reasons(r))
                .contains("HTTPRoute echo-header status for parent Service echo: Accepted False (NoMatchingParent: parent service: \"echo\" not found)");
    }

    @Test
    void aSplitThatIgnoresTheWeightsFailsTheWeightedCheckOnTheSplitAlone() {
        CheckResult weighted = run(MeshMode.SIDECAR, List.of("route-httproute-weighted"), Fault.SKEWED_SPLIT).get("route-httproute-weighted[sidecar]");

        assertThat(weighted.verdict().status()).isEqualTo(Status.FAIL);
        // the header rule of the same route still works: only the split judge fails
        assertThat(weighted.verdict().reasons()).filteredOn(x -> x.contains("excludes the configured 20%")).hasSize(1);
        assertThat(weighted.verdict().reasons()).filteredOn(x -> x.startsWith("'with x-meshproof-version: v2 answered by v2'")).allSatisfy(x -> assertThat(x).contains("reached"));
    }

    @Test
    void theLiveTiersMutationsFailOnTheScriptedMeshToo() {
        Map<String, CheckResult> results = byKey(ScriptedRun.run(client, run, MeshMode.AMBIENT,
                CheckCatalog.of(List.of(new HttpRouteRemoved(), new VirtualServiceRemoved(), new HttpRouteWithoutWaypoint()))));

        assertThat(results).hasSize(3).allSatisfy((key, r) -> assertThat(r.verdict().status()).as(key + ": " + r.verdict().line()).isEqualTo(Status.FAIL));
        // without a waypoint Istio accepts the route, does not apply it, and says so only in ResolvedWaypoints' message
        assertThat(reasons(results.get("mutation-httproute-without-waypoint[ambient]")))
                .contains("ResolvedWaypoints says \"" + ScriptedRouting.MISSING_LABEL + "\" (status True")
                .contains("'with x-meshproof-version: v2 answered by v2'");
        assertNothingLeftBehind();
    }
}
