package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Install orchestration against the mock API server, the test playing the controllers ({@link FakeControllers}). */
@SuppressWarnings("try") // the watches/controllers run while the try block does, and are closed after it
@EnableKubernetesMockClient(crud = true)
class IstioInstallerTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path work;

    private final List<String> applied = Collections.synchronizedList(new ArrayList<>());

    private IstioInstaller installer(MeshMode mode, Cluster.Platform platform, Optional<String> cniBinDir, Duration timeout) {
        InstallPlan plan = IstioPlanner.plan(mode, platform, cniBinDir, Versions.defaults(), MeshValues.none());
        ObjectApplier recording = object -> {
            applied.add(Manifests.describe(object));
            return TestCharts.createOrUpdate(client).apply(object);
        };
        return new IstioInstaller(client, plan, new ChartsDirectory(TestCharts.dir()), recording,
                new Waits(timeout, Duration.ofMillis(50), Duration.ofSeconds(1)), work, "v1.34.6+k3s1");
    }

    @Test
    void ambientInstallAppliesStepsInOrderWithLabelsAndValues() {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            installer(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.of("/opt/k3s/cni"), Duration.ofSeconds(10)).install();
        }
        assertThat(applied).containsExactly(
                "Namespace istio-system",
                // base: Helm's kind order puts the ServiceAccount before the CRDs
                "ServiceAccount istio-system/istio-reader-service-account",
                "CustomResourceDefinition authorizationpolicies.security.istio.io",
                "CustomResourceDefinition peerauthentications.security.istio.io",
                "CustomResourceDefinition gatewayclasses.gateway.networking.k8s.io",
                "CustomResourceDefinition gateways.gateway.networking.k8s.io",
                // istiod: rendered webhook-first, applied in Helm's order (webhook last)
                "ServiceAccount istio-system/istiod",
                "ConfigMap istio-system/values",
                "ClusterRole istiod-clusterrole-istio-system",
                "Deployment istio-system/istiod",
                "MutatingWebhookConfiguration istio-sidecar-injector",
                "ConfigMap istio-system/istio-cni-config",
                "DaemonSet istio-system/istio-cni-node",
                "DaemonSet istio-system/ztunnel");

        Deployment istiod = client.apps().deployments().inNamespace("istio-system").withName("istiod").get();
        assertThat(istiod.getMetadata().getLabels()).containsEntry(Manifests.INSTALL_LABEL, "istio").containsEntry(Manifests.COMPONENT_LABEL, "istiod");
        assertThat(istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("docker.io/istio/pilot:1.29.6-distroless");
        assertThat(client.configMaps().inNamespace("istio-system").withName("values").get().getData())
                .containsEntry("profile", "ambient").containsEntry("platform", "k3s").containsEntry("kubeVersion", "v1.34.6");
        assertThat(client.configMaps().inNamespace("istio-system").withName("istio-cni-config").get().getData())
                .containsEntry("cniBinDir", "/opt/k3s/cni").containsEntry("ambientEnabled", "true");
        assertThat(client.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("docker.io/istio/ztunnel:1.29.6-distroless");
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("gateways.gateway.networking.k8s.io").get()
                .getMetadata().getLabels()).containsEntry(Manifests.COMPONENT_LABEL, "gateway-api");
        assertThat(work.resolve("manifests/04-istiod.yaml")).exists();
        assertThat(work.resolve("values/istio-cni-values.yaml")).content().contains("cniBinDir: /opt/k3s/cni");
        assertThat(Inventory.read(client, "istio-system").refs()).hasSize(applied.size());
    }

    @Test
    void sidecarInstallIsBaseGatewayApiAndIstiodWithoutAmbientProfile() {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            installer(MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(10)).install();
        }
        assertThat(applied).doesNotContain("DaemonSet istio-system/ztunnel", "DaemonSet istio-system/istio-cni-node")
                .contains("MutatingWebhookConfiguration istio-sidecar-injector");
        assertThat(client.configMaps().inNamespace("istio-system").withName("values").get().getData())
                .containsEntry("profile", "default").containsEntry("platform", "");
        assertThat(client.apps().deployments().inNamespace("istio-system").withName("istiod").get().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getImage()).isEqualTo("docker.io/istio/pilot:1.29.6");
    }

    @Test
    void daemonSetThatNeverGetsReadyTimesOutNamingObjectAndCondition() {
        try (FakeControllers controllers = new FakeControllers(client).stall("ztunnel").start()) {
            IstioInstaller installer = installer(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.empty(), Duration.ofSeconds(2));
            assertThatThrownBy(installer::install).isInstanceOfSatisfying(MeshproofException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                assertThat(e.getMessage()).isEqualTo("timed out after 2s waiting for DaemonSet istio-system/ztunnel "
                        + "numberReady=desiredNumberScheduled>0: DaemonSet istio-system/ztunnel has no pods scheduled (desiredNumberScheduled=0)");
            });
        }
        // the steps before ztunnel completed
        assertThat(applied).contains("DaemonSet istio-system/istio-cni-node");
    }

    @Test
    void missingWaypointGatewayClassTimesOut() {
        // istiod comes up, but (as without PILOT_ENABLE_AMBIENT) never creates the waypoint class: sidecar values in ambient mode
        try (FakeControllers controllers = new FakeControllers(client).stall("istiod").start()) {
            IstioInstaller installer = installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(1));
            assertThatThrownBy(installer::install).isInstanceOfSatisfying(MeshproofException.class, e ->
                    assertThat(e.getMessage()).startsWith("timed out after 1s waiting for Deployment istio-system/istiod Available=True: "
                            + "Deployment istio-system/istiod has no condition Available=True (0 of 1 replicas available)"));
        }
    }

    @Test
    void crdThatIsNeverEstablishedTimesOut() {
        try (FakeControllers controllers = new FakeControllers(client).stall("peerauthentications.security.istio.io").start()) {
            IstioInstaller installer = installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(1));
            assertThatThrownBy(installer::install).isInstanceOfSatisfying(MeshproofException.class, e ->
                    assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for CustomResourceDefinitions of chart base Established=True: "
                            + "CustomResourceDefinition peerauthentications.security.istio.io has no condition Established=True"));
        }
        assertThat(applied).doesNotContain("CustomResourceDefinition gateways.gateway.networking.k8s.io");
    }

    @Test
    void uninstallLeavesNothingBehind() {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            IstioInstaller installer = installer(MeshMode.HYBRID, Cluster.Platform.K3S, Optional.empty(), Duration.ofSeconds(10));
            installer.install();
            List<Inventory.Ref> created = Inventory.read(client, "istio-system").refs();
            assertThat(created).hasSize(applied.size());
            assertThat(client.genericKubernetesResources("gateway.networking.k8s.io/v1", "GatewayClass").withName("istio-waypoint").get()).isNotNull();

            installer.uninstall();

            for (Inventory.Ref ref : created) {
                assertThat(client.resource(ref.stub()).get()).as(ref.describe()).isNull();
            }
            assertThat(client.namespaces().list().getItems()).isEmpty();
            assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();
            assertThat(client.pods().inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.configMaps().inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems()).isEmpty();
            assertThat(client.rbac().clusterRoles().list().getItems()).isEmpty();
        }
    }

    @Test
    void uninstallKeepsWhatItDidNotCreate() {
        // a cluster that already has Gateway API CRDs (and a ClusterRole of the same name as istiod's, pre-existing)
        List<HasMetadata> preexisting = Manifests.parse(read(TestCharts.dir().resolve("gateway-api-v1.4.1-standard-install.yaml")));
        preexisting.forEach(o -> client.resource(o).create());
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            IstioInstaller installer = installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(10));
            installer.install();
            assertThat(applied).doesNotContain("CustomResourceDefinition gateways.gateway.networking.k8s.io");
            installer.uninstall();
        }
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("gatewayclasses.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io");
        // istiod's own GatewayClass goes even though the CRD stays
        assertThat(client.genericKubernetesResources("gateway.networking.k8s.io/v1", "GatewayClass").list().getItems()).isEmpty();
    }

    @Test
    void reinstallOwnsWhatTheFirstInstallCreated() {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(10)).install();
            int firstRun = applied.size();
            installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(10)).install();
            assertThat(applied).hasSize(2 * firstRun); // every object applied again (updated in place) ...
            assertThat(Inventory.read(client, "istio-system").refs()).hasSize(firstRun); // ... and still owned once
            installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(10)).uninstall();
        }
        assertThat(client.namespaces().list().getItems()).isEmpty();
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();
    }

    @Test
    void uninstallWithoutInventoryIsANoOp() {
        installer(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Duration.ofSeconds(1)).uninstall();
        assertThat(client.namespaces().list().getItems()).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
