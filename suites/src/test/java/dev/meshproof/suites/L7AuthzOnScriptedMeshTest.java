package dev.meshproof.suites;

import dev.meshproof.cli.CliRunner;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.mesh.GatewayApi;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.suites.mutations.WaypointRemoved;
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
 * The L7 authorization checks end to end on the scripted mesh: a well-behaved mesh passes them in both data planes, each
 * misbehaviour is caught by the check proving what it breaks, and the "waypoint removed" mutation — run on the scripted
 * mesh like on a cluster — fails, which shows the scripted waypoint is bypassed exactly as a real one is.
 */
@EnableKubernetesMockClient(crud = true)
class L7AuthzOnScriptedMeshTest {
    static final List<String> WAYPOINT_CHECKS = List.of("l7-allow-by-path-and-method", "l7-deny-by-header", "l7-deny-by-principal-and-method");
    static final String FAIL_CLOSED = "l7-rule-without-waypoint-fails-closed";

    KubernetesClient client;

    @TempDir
    Path run;

    private Map<String, CheckResult> run(MeshMode mode, List<String> only, Fault... faults) {
        return byKey(ScriptedRun.run(client, run, mode, only, faults));
    }

    private static Map<String, CheckResult> byKey(List<CheckResult> results) {
        Map<String, CheckResult> out = new LinkedHashMap<>();
        results.forEach(r -> out.put(r.check() + (r.dataPlane() == null ? "" : "[" + r.dataPlane() + "]"), r));
        return out;
    }

    private static List<String> all() {
        List<String> ids = new java.util.ArrayList<>(WAYPOINT_CHECKS);
        ids.add(FAIL_CLOSED);
        return ids;
    }

    private void assertNothingLeftBehind() {
        assertThat(client.namespaces().withLabel("meshproof.dev/check").list().getItems()).as("check namespaces deleted").isEmpty();
        assertThat(IstioKinds.operations(client, "security.istio.io/v1", "AuthorizationPolicy").inAnyNamespace().list().getItems()).as("policies deleted").isEmpty();
        assertThat(IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inAnyNamespace().list().getItems()).as("waypoints deleted").isEmpty();
    }

    @Test
    void aWellBehavedAmbientMeshPassesEveryL7AuthzCheckAndVerdictRecomputesIt() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, all());

        assertThat(results.values()).hasSize(4).allSatisfy(r -> assertThat(r.verdict().status()).as(r.check() + ": " + r.verdict().reasons()).isEqualTo(Status.PASS));
        assertThat(results.get(FAIL_CLOSED + "[ambient]").verdict().reasons())
                .anySatisfy(x -> assertThat(x).startsWith("''client' refused at L4 under the policy, the request it allows too' (http://echo.")
                        .contains("/echo/allowed): refused at L4"))
                .anySatisfy(x -> assertThat(x).contains("ZtunnelAccepted status True, reason UnsupportedValue")
                        .contains("(found: methods, paths)"));
        assertThat(results.get("l7-allow-by-path-and-method[ambient]").verdict().reasons())
                .anySatisfy(x -> assertThat(x).startsWith("''other' refused under the policy' (http://echo.").contains("RBAC: access denied"));
        assertNothingLeftBehind();

        CliRunner verdict = CliRunner.run("verdict", run.toString());
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        assertThat(verdict.out()).contains("PASS         " + FAIL_CLOSED + " [ambient] (as recorded)").doesNotContain("FAIL");
    }

    @Test
    void aWellBehavedSidecarMeshPassesTheL7ChecksWithItsSidecarsRbac() {
        Map<String, CheckResult> results = run(MeshMode.SIDECAR, all());

        assertThat(results).containsEntry(FAIL_CLOSED, results.get(FAIL_CLOSED));
        assertThat(results.get(FAIL_CLOSED).verdict().status()).isEqualTo(Status.SKIPPED);
        assertThat(WAYPOINT_CHECKS).allSatisfy(id -> assertThat(results.get(id + "[sidecar]").verdict().status())
                .as(id + ": " + results.get(id + "[sidecar]").verdict().reasons()).isEqualTo(Status.PASS));
        assertNothingLeftBehind();
    }

    /** Two faults at once (one run): the waypoint checks catch the first, the fail-closed check only the second. */
    @Test
    void proxiesIgnoringL7RulesFailTheWaypointChecksAndNoPolicyStatusLeavesFailClosedInconclusive() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, all(), Fault.IGNORES_L7_POLICIES, Fault.NO_POLICY_STATUS);

        assertThat(WAYPOINT_CHECKS).allSatisfy(id -> assertThat(results.get(id + "[ambient]").verdict().status()).as(id).isEqualTo(Status.FAIL));
        assertThat(results.get("l7-deny-by-header[ambient]").verdict().reasons())
                .anySatisfy(x -> assertThat(x).startsWith("'request with x-meshproof-deny: yes refused under the policy'").contains("ok 200 from echo-v1"));
        CheckResult failClosed = results.get(FAIL_CLOSED + "[ambient]");
        assertThat(failClosed.verdict().status()).as("ztunnel still fails closed, but the status is missing").isEqualTo(Status.INCONCLUSIVE);
        assertThat(failClosed.verdict().reasons()).anySatisfy(x -> assertThat(x).contains("istiod wrote no condition").contains("AMBIENT_ENABLE_STATUS"))
                .anySatisfy(x -> assertThat(x).startsWith("''client' refused at L4 under the policy, the request it allows too' (http://echo.")
                        .contains("reached at the first observation"));
        assertNothingLeftBehind();
    }

    /** One check suffices: every L7 check refuses with the same {@code RBAC_DENIED} expectation (the others run in the fault above). */
    @Test
    void aSidecarRefusingWith503InsteadOfTheRbac403Fails() {
        CheckResult r = run(MeshMode.SIDECAR, List.of("l7-deny-by-header"), Fault.L7_DENIES_WITH_503).get("l7-deny-by-header[sidecar]");

        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).startsWith("'request with x-meshproof-deny: yes refused under the policy'")
                .contains("expected refused by Envoy's RBAC filter").contains("http_error 503 \"upstream connect error"));
    }

    @Test
    void aZtunnelThatKeepsTheL4PartOfAnL7AllowRuleFailsOpenAndFails() {
        CheckResult r = run(MeshMode.AMBIENT, List.of(FAIL_CLOSED), Fault.ZTUNNEL_KEEPS_L7_ALLOW_RULES).get(FAIL_CLOSED + "[ambient]");

        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).startsWith("''client' refused at L4 under the policy, the request it allows too' (http://echo.")
                .contains("ok 200"));
    }

    @Test
    void theWaypointRemovedMutationFailsOnTheScriptedMeshAsOnACluster() {
        Map<String, CheckResult> results = byKey(ScriptedRun.run(client, run, MeshMode.AMBIENT, CheckCatalog.of(List.of(new WaypointRemoved()))));

        CheckResult r = results.get("mutation-waypoint-removed[ambient]");
        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons())
                .anySatisfy(x -> assertThat(x).startsWith("''other' refused under the policy' (http://echo.").contains("ok 200 from echo-v1"));
        assertNothingLeftBehind();
    }
}
