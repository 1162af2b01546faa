package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.e2e.LiveCluster;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import dev.meshproof.diagnostics.DiagnosticsDump;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live path: Istio (hybrid: ambient + sidecar injector) on a real cluster, an ambient namespace with a
 * waypoint, a sidecar namespace, then uninstall leaving nothing. The cluster comes from {@link LiveCluster}
 * (k3s in Docker, or MESHPROOF_KUBECONFIG); where it cannot run, the class skips with a one-line reason. Run with {@code -Pe2e}.
 * The cluster must be able to pull docker.io/istio/* 1.29.6 and docker.io/mccutchen/go-httpbin:v2.15.0.
 */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioLiveInstallE2ETest {
    /** istio/istio@1.29.6:samples/httpbin/httpbin.yaml. */
    static final String HTTPBIN = "docker.io/mccutchen/go-httpbin:v2.15.0";
    static final String AMBIENT_NS = "meshproof-e2e-ambient";
    static final String SIDECAR_NS = "meshproof-e2e-sidecar";

    Scope scope;
    RunDirectory run;
    Cluster cluster;
    KubernetesClient client;
    MeshInstaller installer;
    final Waits waits = new Waits(Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(10));

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null && installer != null) {
                DiagnosticsDump.defaults(client).collect(run, List.of("istio-system", AMBIENT_NS, SIDECAR_NS), installer.appliedManifests());
            }
        }
    };

    @BeforeAll
    void connect(Cluster live) {
        scope = new Scope("e2e");
        run = RunDirectory.createUnder(Path.of("target", "e2e-runs"));
        cluster = live;
        client = cluster.client();
        installer = MeshInstallers.istio(cluster, MeshInstallers.Options.defaults().withMode(MeshMode.HYBRID), run);
        scope.onClose("uninstall Istio", installer::uninstall);
    }

    @AfterAll
    void cleanUp() {
        if (scope != null) {
            scope.close();
        }
    }

    @Test
    @Order(1)
    void installsIstioAndEveryWaitPasses() {
        installer.install();
        assertThat(client.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).endsWith(":1.29.6-distroless");
        assertThat(new ReadinessChecks(client).gatewayClass("istio-waypoint")).isNotNull();
    }

    @Test
    @Order(2)
    void ambientNamespaceIsCapturedAndGetsAReadyWaypoint() {
        namespace(AMBIENT_NS);
        new Enrollment(client).ambient(AMBIENT_NS);
        httpbin(AMBIENT_NS);
        new Enrollment(client).awaitCaptured(AMBIENT_NS, waits);
        Waypoints waypoints = new Waypoints(client, ObjectApplier.serverSide(client), waits);
        waypoints.forNamespace(AMBIENT_NS, Waypoints.DEFAULT_NAME);
        assertThat(waypoints.notReady(AMBIENT_NS, Waypoints.DEFAULT_NAME)).isNull();
        // istiod deploys the waypoint as a Deployment of the Gateway's name
        // (istio/istio@1.29.6:pilot/pkg/config/kube/gateway/deploymentcontroller.go)
        assertThat(client.apps().deployments().inNamespace(AMBIENT_NS).withName(Waypoints.DEFAULT_NAME).get()).isNotNull();
    }

    @Test
    @Order(3)
    void sidecarNamespaceGetsInjectedPods() {
        namespace(SIDECAR_NS);
        new Enrollment(client).sidecar(SIDECAR_NS);
        Pod pod = httpbin(SIDECAR_NS);
        // the injector adds the istio-proxy container (native sidecar: an init container with restartPolicy Always)
        List<String> containers = new java.util.ArrayList<>();
        pod.getSpec().getContainers().forEach(c -> containers.add(c.getName()));
        pod.getSpec().getInitContainers().forEach(c -> containers.add(c.getName()));
        assertThat(containers).contains("istio-proxy");
        assertThat(pod.getMetadata().getAnnotations()).containsKey("sidecar.istio.io/status");
    }

    @Test
    @Order(4)
    void uninstallLeavesNoIstioBehind() {
        client.namespaces().withName(AMBIENT_NS).delete();
        client.namespaces().withName(SIDECAR_NS).delete();
        waits.until("test namespaces to be deleted", () ->
                client.namespaces().withName(AMBIENT_NS).get() == null && client.namespaces().withName(SIDECAR_NS).get() == null
                        ? null : "test namespaces still exist");
        installer.uninstall();
        assertThat(client.namespaces().withName("istio-system").get()).isNull();
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getSpec().getGroup()).noneMatch(g -> g.endsWith("istio.io"));
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("istio-sidecar-injector").get()).isNull();
        assertThat(client.configMaps().inAnyNamespace().withLabel("istio.io/config", "true").list().getItems()).isEmpty();
    }

    private void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        scope.onClose("delete namespace " + name, () -> client.namespaces().withName(name).delete());
    }

    /** One httpbin pod and Service; returns the pod once Ready. */
    private Pod httpbin(String namespace) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("httpbin").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "httpbin")).addNewPort().withName("http").withPort(8000)
                .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("httpbin")
                .withLabels(Map.of("app", "httpbin")).endMetadata().withNewSpec().addNewContainer().withName("httpbin")
                .withImage(HTTPBIN).addNewPort().withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        ReadinessChecks checks = new ReadinessChecks(client);
        waits.until("pod " + namespace + "/httpbin Ready", () -> checks.podsReady(namespace, Map.of("app", "httpbin"), "httpbin"));
        return client.pods().inNamespace(namespace).withName("httpbin").get();
    }
}
