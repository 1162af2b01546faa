package dev.meshproof.bench;

import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.FakeWaypointController;
import dev.meshproof.mesh.TestCharts;
import dev.meshproof.mesh.Waypoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each benchmark mode gets exactly Istio's labels for it; ambient-l7 also a waypoint that is waited for. */
@EnableKubernetesMockClient(crud = true)
class IstioModeEnrollmentTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private IstioModeEnrollment enrollment(Duration timeout) {
        Waits waits = new Waits(timeout, Duration.ofMillis(50), Duration.ofSeconds(1));
        return new IstioModeEnrollment(new Enrollment(client), new Waypoints(client, TestCharts.createOrUpdate(client), waits));
    }

    private Map<String, String> labelsAfter(DataPath mode, String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Scope scope = new Scope("t")) {
            enrollment(Duration.ofSeconds(1)).enroll(ns, mode, scope);
        }
        Map<String, String> labels = client.namespaces().withName(ns).get().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @ParameterizedTest
    @CsvSource({"NO_MESH,,", "SIDECAR,istio-injection,enabled", "AMBIENT_L4,istio.io/dataplane-mode,ambient"})
    void modeGetsExactlyItsLabel(DataPath mode, String key, String value) {
        Map<String, String> labels = labelsAfter(mode, "ns-" + mode.id());
        if (key == null) {
            assertThat(labels).doesNotContainKeys("istio-injection", "istio.io/dataplane-mode", "istio.io/use-waypoint");
        } else {
            assertThat(labels).containsEntry(key, value).doesNotContainKey("istio.io/use-waypoint");
        }
        assertThat(client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void ambientL7GetsAReadyNamespaceWaypoint() {
        try (Watch istiod = FakeWaypointController.start(client, true)) {
            Map<String, String> labels = labelsAfter(DataPath.AMBIENT_L7, "l7");
            assertThat(labels).containsEntry("istio.io/dataplane-mode", "ambient").containsEntry("istio.io/use-waypoint", "waypoint");
        }
        GenericKubernetesResource gw = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace("l7").withName("waypoint").get();
        assertThat(gw.get("spec", "gatewayClassName").toString()).isEqualTo("istio-waypoint");
    }

    @Test
    void ambientL7WithoutAWaypointControllerTimesOutNamingTheWaypoint() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("l7").endMetadata().build()).create();
        try (Scope scope = new Scope("t")) {
            assertThatThrownBy(() -> enrollment(Duration.ofMillis(500)).enroll("l7", DataPath.AMBIENT_L7, scope))
                    .hasMessageContaining("waypoint l7/waypoint Programmed=True and its pods Ready");
        }
    }
}
