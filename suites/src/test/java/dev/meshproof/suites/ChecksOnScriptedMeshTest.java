package dev.meshproof.suites;

import dev.meshproof.cli.CliRunner;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
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
 * Part 1's checks' (mTLS, L4 authorization) drive → evidence → verdict path, end to end on the fabric8 mock API server: the test plays the
 * Kubernetes controllers ({@link FakeControllers}) and Istio ({@link ScriptedMesh}), the checks run through the
 * JUnit Platform Launcher exactly as {@code meshproof run} runs them, and {@code meshproof verdict} recomputes the
 * verdicts from the evidence written. A well-behaved mesh passes; each misbehaviour is caught by the checks that
 * prove the behaviour it breaks, with FAIL (what the mesh did is wrong) or INCONCLUSIVE (no evidence).
 */
@EnableKubernetesMockClient(crud = true)
class ChecksOnScriptedMeshTest {
    /** Part 1's checks (mTLS, L4 authorization); the L7 ones have their own classes (L7Authz…, Routing…, Telemetry…OnScriptedMeshTest). */
    static final List<String> L4_AND_MTLS_CHECKS = List.of("mtls-strict-refuses-plaintext", "mtls-ztunnel-reports-mutual-tls",
            "mtls-sidecar-forwards-client-cert", "l4-allow-by-principal", "l4-deny-by-principal", "l4-deny-by-namespace", "l4-deny-by-port",
            "l4-allow-nothing");
    static final List<String> REFUSAL_CHECKS = List.of("mtls-strict-refuses-plaintext", "l4-allow-by-principal", "l4-deny-by-principal",
            "l4-deny-by-namespace", "l4-deny-by-port", "l4-allow-nothing");

    KubernetesClient client;

    @TempDir
    Path run;

    private Map<String, CheckResult> run(MeshMode mode, List<String> only, Fault... faults) {
        Map<String, CheckResult> byKey = new LinkedHashMap<>();
        ScriptedRun.run(client, run, mode, only, faults).forEach(r -> byKey.put(r.check() + (r.dataPlane() == null ? "" : "[" + r.dataPlane() + "]"), r));
        return byKey;
    }

    private void assertNothingLeftBehind() {
        assertThat(client.namespaces().withLabel("meshproof.dev/check").list().getItems()).as("check namespaces deleted").isEmpty();
        for (String kind : List.of("AuthorizationPolicy", "PeerAuthentication")) {
            assertThat(client.genericKubernetesResources(IstioKinds.of("security.istio.io/v1", kind).orElseThrow()).inAnyNamespace().list().getItems())
                    .as(kind + " deleted").isEmpty();
        }
    }

    private static Map<String, Status> statuses(Map<String, CheckResult> results) {
        Map<String, Status> out = new LinkedHashMap<>();
        results.forEach((k, v) -> out.put(k, v.verdict().status()));
        return out;
    }

    @Test
    void aWellBehavedAmbientMeshPassesEveryAmbientCheckAndVerdictRecomputesIt() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, L4_AND_MTLS_CHECKS);

        assertThat(statuses(results)).containsEntry("mtls-strict-refuses-plaintext[ambient]", Status.PASS)
                .containsEntry("mtls-ztunnel-reports-mutual-tls[ambient]", Status.PASS)
                .containsEntry("l4-allow-by-principal[ambient]", Status.PASS).containsEntry("l4-deny-by-principal[ambient]", Status.PASS)
                .containsEntry("l4-deny-by-namespace[ambient]", Status.PASS).containsEntry("l4-deny-by-port[ambient]", Status.PASS)
                .containsEntry("l4-allow-nothing[ambient]", Status.PASS)
                .containsEntry("mtls-sidecar-forwards-client-cert", Status.SKIPPED);
        assertThat(results.get("mtls-ztunnel-reports-mutual-tls[ambient]").verdict().reasons())
                .anySatisfy(r -> assertThat(r).contains("connection_security_policy=mutual_tls"))
                .anySatisfy(r -> assertThat(r).startsWith("ztunnel access log: "));
        assertNothingLeftBehind();
        assertThat(run.resolve("checks/l4-deny-by-principal/ambient/calls.jsonl")).isNotEmptyFile();
        assertThat(run.resolve("checks/l4-deny-by-principal/ambient/manifests")).isDirectoryContaining(p -> p.getFileName().toString().contains("delete-deny-principal.yaml"));

        CliRunner verdict = CliRunner.run("verdict", run.toString());
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        assertThat(verdict.out()).contains("PASS         l4-deny-by-principal [ambient] (as recorded)").doesNotContain("FAIL");
    }

    @Test
    void aWellBehavedSidecarMeshPassesEverySidecarCheckWithItsOwnDenyForms() {
        Map<String, CheckResult> results = run(MeshMode.SIDECAR, L4_AND_MTLS_CHECKS);

        assertThat(results.values()).filteredOn(r -> r.dataPlane() != null)
                .allSatisfy(r -> assertThat(r.verdict().status()).as(r.check() + ": " + r.verdict().line()).isEqualTo(Status.PASS));
        assertThat(statuses(results)).containsEntry("mtls-sidecar-forwards-client-cert[sidecar]", Status.PASS)
                .containsEntry("mtls-ztunnel-reports-mutual-tls", Status.SKIPPED);
        assertNothingLeftBehind();
    }

    @Test
    void aMeshThatIgnoresPoliciesFailsEveryRefusalCheck() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, REFUSAL_CHECKS, Fault.IGNORES_POLICIES);

        assertThat(results.values()).hasSize(REFUSAL_CHECKS.size())
                .allSatisfy(r -> assertThat(r.verdict().status()).as(r.check()).isEqualTo(Status.FAIL));
        assertThat(results.get("l4-deny-by-principal[ambient]").verdict().reasons())
                .anySatisfy(r -> assertThat(r).startsWith("''denied' refused under the policy' (http://echo.").contains("expected denied").contains("not met"));
        assertThat(run.resolve("checks/l4-deny-by-principal/ambient/diagnostics/namespaces.txt")).content().contains("istio-system");
        assertNothingLeftBehind();

        CliRunner verdict = CliRunner.run("verdict", run.toString());
        assertThat(verdict.exitCode()).isEqualTo(1);
        assertThat(verdict.out()).contains("FAIL         l4-allow-nothing [ambient] (as recorded)");
    }

    @Test
    void aMeshThatRefusesEverythingFailsTheControls() {
        Map<String, CheckResult> results = run(MeshMode.SIDECAR, List.of("l4-deny-by-principal", "mtls-strict-refuses-plaintext"), Fault.REFUSES_EVERYTHING);

        assertThat(results.values()).allSatisfy(r -> assertThat(r.verdict().status()).isEqualTo(Status.FAIL));
        assertThat(results.get("l4-deny-by-principal[sidecar]").verdict().reasons())
                .anySatisfy(r -> assertThat(r).startsWith("''denied' admitted before the policy' ("));
    }

    @Test
    void noZtunnelMetricsIsInconclusiveNeverAPass() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, List.of("mtls-ztunnel-reports-mutual-tls"), Fault.NO_METRICS);

        CheckResult r = results.get("mtls-ztunnel-reports-mutual-tls[ambient]");
        assertThat(r.verdict().status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).contains("no istio_tcp_* family").contains("no metric series is not mTLS"));
    }

    @Test
    void plaintextInZtunnelsMetricsFails() {
        CheckResult r = run(MeshMode.AMBIENT, List.of("mtls-ztunnel-reports-mutual-tls"), Fault.PLAINTEXT_METRICS)
                .get("mtls-ztunnel-reports-mutual-tls[ambient]");
        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).contains("connection_security_policy=\"unknown\""));
    }

    @Test
    void noZtunnelLogIsInconclusive() {
        Map<String, CheckResult> results = run(MeshMode.AMBIENT, List.of("mtls-ztunnel-reports-mutual-tls", "mtls-strict-refuses-plaintext"), Fault.NO_LOGS);

        assertThat(results.values()).allSatisfy(r -> assertThat(r.verdict().status()).as(r.check()).isEqualTo(Status.INCONCLUSIVE));
    }

    @Test
    void aSidecarWithoutClientCertFails() {
        CheckResult r = run(MeshMode.SIDECAR, List.of("mtls-sidecar-forwards-client-cert"), Fault.NO_CLIENT_CERT)
                .get("mtls-sidecar-forwards-client-cert[sidecar]");
        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).contains("did not arrive over mutual TLS"));
    }

    @Test
    void slowPropagationConvergesAndSaysItPassedOnlyAfterRetrying() {
        CheckResult r = run(MeshMode.AMBIENT, List.of("l4-deny-by-principal"), Fault.SLOW_PROPAGATION).get("l4-deny-by-principal[ambient]");
        assertThat(r.verdict().status()).as(r.verdict().line()).isEqualTo(Status.PASS);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).startsWith("''denied' refused under the policy' (").contains("passed only after retrying"));
    }

    @Test
    void aPolicyThatFlapsDuringTheHoldFails() {
        CheckResult r = run(MeshMode.AMBIENT, List.of("l4-allow-nothing"), Fault.FLAPS).get("l4-allow-nothing[ambient]");
        assertThat(r.verdict().status()).isEqualTo(Status.FAIL);
        assertThat(r.verdict().reasons()).anySatisfy(x -> assertThat(x).contains("was reached, then violated"));
    }

    @Test
    void hybridRunsEachCheckInBothDataPlanes() {
        Map<String, CheckResult> results = run(MeshMode.HYBRID, List.of("l4-deny-by-port"));
        assertThat(statuses(results)).containsOnly(Map.entry("l4-deny-by-port[ambient]", Status.PASS), Map.entry("l4-deny-by-port[sidecar]", Status.PASS));
    }
}
