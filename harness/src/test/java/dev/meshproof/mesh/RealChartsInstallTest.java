package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Versions;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real charts and the real Gateway API CRDs applied to the mock API server by the installer, in its order, the
 * test playing the controllers ({@link FakeControllers}: CRDs Established, workloads ready, and istiod's waypoint
 * GatewayClass only when its Deployment really carries PILOT_ENABLE_AMBIENT=true); then uninstalled, leaving nothing.
 * The order rules asserted here are the ones a live install needs, stated without the installer's own kind table.
 */
@SuppressWarnings("try") // the controllers run while the try block does
@ExtendWith(UpstreamRelease.class)
@EnableKubernetesMockClient(crud = true)
class RealChartsInstallTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path work;

    /** "component Kind namespace/name" per applied object, in apply order. */
    private final List<String> applied = Collections.synchronizedList(new ArrayList<>());

    private IstioInstaller installer(UpstreamRelease upstream, MeshMode mode, Cluster.Platform platform, Optional<String> binDir) {
        Versions versions = upstream.versions();
        InstallPlan plan = IstioPlanner.plan(mode, platform, binDir, versions, MeshValues.none());
        ObjectApplier recording = object -> {
            applied.add(object.getMetadata().getLabels().get(Manifests.COMPONENT_LABEL) + " " + Manifests.describe(object));
            return TestCharts.createOrUpdate(client).apply(object);
        };
        return new IstioInstaller(client, plan, new HelmRepository(versions.istio().chartRepository(), work.resolve("cache")),
                recording, new Waits(Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(5)), work.resolve("mesh"),
                RenderedCharts.kubeVersion(platform));
    }

    @Test
    void ambientOnK3sInstallsInALiveInstallsOrderAndUninstallsToNothing(UpstreamRelease upstream) {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            IstioInstaller installer = installer(upstream, MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.of("/var/lib/rancher/k3s/data/cni"));
            installer.install();
            assertThat(components()).containsExactly("namespace", "istio-base", "gateway-api", "istiod", "istio-cni", "ztunnel");
            assertThat(count("istio-base")).isEqualTo(16);
            assertThat(count("gateway-api")).isEqualTo(6);
            assertThat(count("istiod")).isEqualTo(17);
            assertThat(count("istio-cni")).isEqualTo(9);
            assertThat(count("ztunnel")).isEqualTo(2);
            assertDependenciesFirst();
            assertThat(Inventory.read(client, "istio-system").refs()).hasSize(applied.size());
            assertThat(client.genericKubernetesResources(GatewayApi.API_VERSION, "GatewayClass").withName("istio-waypoint").get()).isNotNull();

            installer.uninstall();
            assertNothingLeft();
        }
    }

    @Test
    void sidecarOnAGenericClusterIsBaseGatewayApiAndIstiodAndUninstallsToNothing(UpstreamRelease upstream) {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            IstioInstaller installer = installer(upstream, MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty());
            installer.install();
            assertThat(components()).containsExactly("namespace", "istio-base", "gateway-api", "istiod");
            assertThat(applied).hasSize(1 + 16 + 6 + 17);
            assertDependenciesFirst();
            assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("istio-sidecar-injector").get()).isNotNull();

            installer.uninstall();
            assertNothingLeft();
        }
    }

    @Test
    void hybridOnAGenericClusterUninstallsToNothing(UpstreamRelease upstream) {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            IstioInstaller installer = installer(upstream, MeshMode.HYBRID, Cluster.Platform.GENERIC, Optional.empty());
            installer.install();
            assertThat(components()).containsExactly("namespace", "istio-base", "gateway-api", "istiod", "istio-cni", "ztunnel");
            assertDependenciesFirst();
            installer.uninstall();
            assertNothingLeft();
        }
    }

    @Test
    void reapplyingOverAnInstallKeepsTheValidatingWebhooksFailClosed(UpstreamRelease upstream) {
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            installer(upstream, MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty()).install();
            // a first install renders them fail-open ...
            assertThat(validatorPolicies()).containsOnly("Ignore");
            // ... and istiod, once it serves, flips them to Fail (istio/istio@1.29.6:pkg/webhooks/validation/controller/controller.go)
            client.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems().forEach(v ->
                    client.admissionRegistration().v1().validatingWebhookConfigurations().withName(v.getMetadata().getName()).edit(x -> {
                        x.getWebhooks().forEach(w -> w.setFailurePolicy("Fail"));
                        return x;
                    }));

            installer(upstream, MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty()).install();

            // applying again must not take Fail back to Ignore
            assertThat(validatorPolicies()).hasSize(2).containsOnly("Fail");
            assertThat(work.resolve("mesh/values/istiod-values.yaml")).content().contains("validationFailurePolicy: Fail");
        }
    }

    private List<String> validatorPolicies() {
        return client.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems().stream()
                .flatMap(v -> v.getWebhooks().stream()).map(w -> w.getFailurePolicy()).toList();
    }

    /** The steps in the order they first applied something; each step applies one contiguous block. */
    private List<String> components() {
        List<String> out = new ArrayList<>();
        for (String a : applied) {
            String component = a.substring(0, a.indexOf(' '));
            if (out.isEmpty() || !out.get(out.size() - 1).equals(component)) {
                out.add(component);
            }
        }
        return out;
    }

    private long count(String component) {
        return applied.stream().filter(a -> a.startsWith(component + " ")).count();
    }

    /**
     * What a live install needs from the order, per step: the namespace first; CRDs before anything that is not a
     * CRD in their step (Helm puts the ServiceAccount first, harmless); a workload's ServiceAccount, ConfigMaps, RBAC
     * and Service before the workload; the webhooks after the Deployment and Service they call (an earlier webhook
     * with failurePolicy Fail would refuse objects while istiod cannot answer).
     */
    private void assertDependenciesFirst() {
        assertThat(applied.get(0)).isEqualTo("namespace Namespace istio-system");
        Set<String> before = Set.of("ServiceAccount", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service");
        Set<String> workloads = Set.of("Deployment", "DaemonSet");
        Set<String> webhooks = Set.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
        for (String component : components()) {
            List<String> kinds = applied.stream().filter(a -> a.startsWith(component + " ")).map(a -> a.split(" ")[1]).toList();
            int firstWorkload = indexOfFirst(kinds, workloads);
            int lastDependency = indexOfLast(kinds, before);
            if (firstWorkload >= 0) {
                assertThat(lastDependency).as(component + ": " + kinds).isLessThan(firstWorkload);
            }
            int firstWebhook = indexOfFirst(kinds, webhooks);
            if (firstWebhook >= 0) {
                assertThat(Math.max(indexOfLast(kinds, workloads), indexOfLast(kinds, Set.of("Service", "CustomResourceDefinition"))))
                        .as(component + ": " + kinds).isLessThan(firstWebhook);
                assertThat(kinds.subList(firstWebhook, kinds.size())).as(component).allMatch(webhooks::contains);
            }
        }
    }

    private static int indexOfFirst(List<String> kinds, Set<String> set) {
        for (int i = 0; i < kinds.size(); i++) {
            if (set.contains(kinds.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfLast(List<String> kinds, Set<String> set) {
        for (int i = kinds.size() - 1; i >= 0; i--) {
            if (set.contains(kinds.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private void assertNothingLeft() {
        assertThat(client.namespaces().list().getItems()).isEmpty();
        assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems()).isEmpty();
        assertThat(client.rbac().clusterRoles().list().getItems()).isEmpty();
        assertThat(client.rbac().clusterRoleBindings().list().getItems()).isEmpty();
        assertThat(client.rbac().roles().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.rbac().roleBindings().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems()).isEmpty();
        assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).isEmpty();
        assertThat(client.serviceAccounts().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.configMaps().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.services().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.pods().inAnyNamespace().list().getItems()).isEmpty();
        // every kind the install applied is one of the kinds listed empty above
        assertThat(applied.stream().map(a -> a.split(" ")[1]).distinct()).allMatch(Set.of("Namespace", "CustomResourceDefinition",
                "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                "ServiceAccount", "ConfigMap", "Service", "Deployment", "DaemonSet", "HorizontalPodAutoscaler")::contains);
    }
}
