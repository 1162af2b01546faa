package dev.meshproof.suites;

import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The telemetry checks on the scripted mesh: pass on a well-behaved one, FAIL or INCONCLUSIVE under each fault they exist to catch. */
@EnableKubernetesMockClient(crud = true)
class TelemetryOnScriptedMeshTest {
    static final List<String> CHECKS = List.of("telemetry-trace-export", "telemetry-access-log", "telemetry-waypoint-metrics");
    KubernetesClient client;
    @TempDir
    Path run;

    private List<CheckResult> run(MeshMode mode, List<String> checks, Fault... faults) {
        return ScriptedRun.run(client, run, mode, checks, faults);
    }

    private static Verdict.Status status(List<CheckResult> results, String id) {
        return results.stream().filter(r -> r.check().equals(id)).findFirst().orElseThrow().verdict().status();
    }

    @Test
    void aWellBehavedMeshPassesEveryTelemetryCheckInBothDataPlanes() {
        List<CheckResult> results = run(MeshMode.HYBRID, CHECKS);
        assertThat(results).hasSize(6).allSatisfy(r -> assertThat(r.verdict().status()).as(r.check() + " " + r.dataPlane() + ": " + r.verdict().line()).isEqualTo(Verdict.Status.PASS));
        assertThat(client.namespaces().list().getItems()).as("nothing left behind").isEmpty();
    }

    @Test
    void traceFaultsAreCaught() {
        assertThat(run(MeshMode.AMBIENT, List.of("telemetry-trace-export"), Fault.WRONG_PARENT)).singleElement()
                .satisfies(r -> assertThat(r.verdict().line()).contains("not the span id the client sent")).extracting(r -> r.verdict().status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(run(MeshMode.SIDECAR, List.of("telemetry-trace-export"), Fault.DUPLICATE_SPANS)).singleElement()
                .extracting(r -> r.verdict().status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(run(MeshMode.AMBIENT, List.of("telemetry-trace-export"), Fault.NO_SPANS)).singleElement()
                .satisfies(r -> assertThat(r.verdict().line()).contains("no span arrived")).extracting(r -> r.verdict().status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void accessLogAndMetricsFaultsAreCaught() {
        List<CheckResult> noLog = run(MeshMode.AMBIENT, List.of("telemetry-access-log", "telemetry-waypoint-metrics"), Fault.NO_ACCESS_LOG, Fault.NO_L7_METRICS);
        assertThat(status(noLog, "telemetry-access-log")).isIn(Verdict.Status.FAIL, Verdict.Status.INCONCLUSIVE);
        assertThat(status(noLog, "telemetry-waypoint-metrics")).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }
}
