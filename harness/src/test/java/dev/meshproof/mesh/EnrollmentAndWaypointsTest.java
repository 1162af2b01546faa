package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Namespace enrollment and waypoints against the mock API server; the test plays istiod and istio-cni. */
@SuppressWarnings("try") // the watches/controllers run while the try block does, and are closed after it
@EnableKubernetesMockClient(crud = true)
class EnrollmentAndWaypointsTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private final Waits shortWaits = new Waits(Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1));

    @BeforeEach
    void gatewayApiAndNamespace() throws Exception {
        String crds = Files.readString(TestCharts.dir().resolve("gateway-api-v1.4.1-standard-install.yaml"));
        for (HasMetadata crd : Manifests.parse(crds)) {
            client.resource(crd).create();
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).create();
        client.services().inNamespace("apps").resource(new ServiceBuilder().withNewMetadata().withName("echo").endMetadata().build()).create();
    }

    private Map<String, String> nsLabels() {
        return client.namespaces().withName("apps").get().getMetadata().getLabels();
    }

    @Test
    void ambientAndSidecarLabelsAreNeverBoth() {
        Enrollment enrollment = new Enrollment(client);
        enrollment.sidecar("apps");
        assertThat(nsLabels()).containsEntry("istio-injection", "enabled").doesNotContainKey("istio.io/dataplane-mode");
        enrollment.ambient("apps");
        assertThat(nsLabels()).containsEntry("istio.io/dataplane-mode", "ambient").doesNotContainKey("istio-injection");
        assertThat(enrollment.enrolledNamespaces()).containsExactly("apps");
    }

    @Test
    void podsCountAsCapturedOnlyWithTheRedirectionAnnotation() {
        Enrollment enrollment = new Enrollment(client);
        enrollment.ambient("apps");
        client.pods().inNamespace("apps").resource(pod("echo-1", Map.of(), Map.of())).create();
        client.pods().inNamespace("apps").resource(pod("waypoint-1", Map.of("istio.io/dataplane-mode", "none"), Map.of())).create();
        assertThat(enrollment.podsNotCaptured("apps")).isEqualTo("1 of 1 pods in apps lack annotation ambient.istio.io/redirection=enabled: echo-1=null");
        assertThatThrownBy(() -> enrollment.awaitCaptured("apps", shortWaits)).isInstanceOf(MeshproofException.class)
                .hasMessageContaining("waiting for pods in apps annotated ambient.istio.io/redirection=enabled: 1 of 1 pods");

        client.pods().inNamespace("apps").withName("echo-1").edit(p -> { // what istio-cni does
            p.getMetadata().setAnnotations(Map.of("ambient.istio.io/redirection", "enabled"));
            return p;
        });
        enrollment.awaitCaptured("apps", shortWaits);
        assertThat(enrollment.podsNotCaptured("apps")).isNull();
    }

    @Test
    void namespaceWaypointIsTheIstioctlGatewayAndReadyOnlyWithProgrammedAndReadyPods() {
        Waypoints waypoints = new Waypoints(client, TestCharts.createOrUpdate(client), new Waits(Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(1)));
        try (Watch istiod = FakeWaypointController.start(client, true)) {
            waypoints.forNamespace("apps", "waypoint");
        }
        GenericKubernetesResource gw = client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace("apps").withName("waypoint").get();
        assertThat(gw.getAdditionalProperties().get("spec")).isEqualTo(Map.of("gatewayClassName", "istio-waypoint",
                "listeners", List.of(Map.of("name", "mesh", "port", 15008, "protocol", "HBONE"))));
        assertThat(nsLabels()).containsEntry("istio.io/use-waypoint", "waypoint");

        waypoints.delete("apps", "waypoint");
        assertThat(nsLabels()).doesNotContainKey("istio.io/use-waypoint");
        assertThat(client.genericKubernetesResources("gateway.networking.k8s.io/v1", "Gateway").inNamespace("apps").list().getItems()).isEmpty();
    }

    @Test
    void programmedWithoutReadyPodsIsNotReady() {
        Waypoints waypoints = new Waypoints(client, TestCharts.createOrUpdate(client), shortWaits);
        try (Watch istiod = FakeWaypointController.start(client, false)) {
            assertThatThrownBy(() -> waypoints.forService("apps", "echo", "echo-waypoint")).isInstanceOfSatisfying(MeshproofException.class, e ->
                    assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for waypoint apps/echo-waypoint Programmed=True and its pods Ready: "
                            + "0 of 1 pods of waypoint apps/echo-waypoint are Ready"));
        }
        assertThat(client.services().inNamespace("apps").withName("echo").get().getMetadata().getLabels())
                .containsEntry("istio.io/use-waypoint", "echo-waypoint");
        assertThat(nsLabels()).doesNotContainKey("istio.io/use-waypoint");
    }

    @Test
    void gatewayWithoutProgrammedTimesOutNamingTheCondition() {
        Waypoints waypoints = new Waypoints(client, TestCharts.createOrUpdate(client), shortWaits);
        assertThatThrownBy(() -> waypoints.forNamespace("apps", "waypoint")).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).endsWith(": Gateway apps/waypoint has no condition Programmed=True"));
    }

    private static Pod pod(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("x").endContainer().endSpec().build();
    }
}
