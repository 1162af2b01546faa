package dev.meshproof.bench;

import dev.meshproof.core.Scope;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.TestCharts;
import dev.meshproof.mesh.Waits;
import dev.meshproof.mesh.Waypoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
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

    private Map<String, String> labelsAfter(Mode mode, String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Scope scope = new Scope("t")) {
            enrollment(Duration.ofSeconds(1)).enroll(ns, mode, scope);
        }
        Map<String, String> labels = client.namespaces().withName(ns).get().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @ParameterizedTest
    @CsvSource({"NO_MESH,,", "SIDECAR,istio-injection,enabled", "AMBIENT_L4,istio.io/dataplane-mode,ambient"})
    void modeGetsExactlyItsLabel(Mode mode, String key, String value) {
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
        try (Watch istiod = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inAnyNamespace().watch(new PlayIstiod())) {
            Map<String, String> labels = labelsAfter(Mode.AMBIENT_L7, "l7");
            assertThat(labels).containsEntry("istio.io/dataplane-mode", "ambient").containsEntry("istio.io/use-waypoint", "waypoint");
        }
        GenericKubernetesResource gw = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace("l7").withName("waypoint").get();
        assertThat(gw.get("spec", "gatewayClassName").toString()).isEqualTo("istio-waypoint");
    }

    @Test
    void ambientL7WithoutAWaypointControllerTimesOutNamingTheWaypoint() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("l7").endMetadata().build()).create();
        try (Scope scope = new Scope("t")) {
            assertThatThrownBy(() -> enrollment(Duration.ofMillis(500)).enroll("l7", Mode.AMBIENT_L7, scope))
                    .hasMessageContaining("waypoint l7/waypoint Programmed=True and its pods Ready");
        }
    }

    /** istiod's waypoint controller: a Ready pod labelled with the gateway name, then Programmed=True. */
    private final class PlayIstiod implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource gw) {
            if (action != Action.ADDED) {
                return;
            }
            String ns = gw.getMetadata().getNamespace();
            String name = gw.getMetadata().getName();
            client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-pod")
                    .addToLabels("gateway.networking.k8s.io/gateway-name", name).endMetadata()
                    .withNewSpec().addNewContainer().withName("istio-proxy").withImage("x").endContainer().endSpec()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
            gw.getAdditionalProperties().put("status", Map.of("conditions", List.of(Map.of("type", "Programmed", "status", "True"))));
            client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace(ns).resource(gw).updateStatus();
        }

        @Override
        public void onClose(WatcherException cause) {
            // test over
        }
    }
}
