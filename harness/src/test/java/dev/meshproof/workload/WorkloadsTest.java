package dev.meshproof.workload;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deploy, await and clean up the agent fixtures against fabric8's mock API server; the test plays the Deployment controller. */
@EnableKubernetesMockClient(crud = true)
class WorkloadsTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String IMAGE = "meshproof/agent:0.1.0-SNAPSHOT";

    @Test
    void deploysServerInTwoVersionsAndTheClientWithDownwardApiIdentity() {
        try (Scope scope = new Scope("test")) {
            Workloads w = new Workloads(client, scope, IMAGE);
            w.deployServer("ns-deploy", "v1");
            w.deployServer("ns-deploy", "v2");
            w.deployClient("ns-deploy");

            var deployments = client.apps().deployments().inNamespace("ns-deploy").list().getItems();
            assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder("echo-v1", "echo-v2", "client");
            assertThat(client.services().inNamespace("ns-deploy").list().getItems()).extracting(s -> s.getMetadata().getName())
                    .containsExactlyInAnyOrder("echo", "echo-v1", "echo-v2");
            assertThat(client.services().inNamespace("ns-deploy").withName("echo").get().getSpec().getSelector()).isEqualTo(Map.of("app", "echo"));
            assertThat(client.services().inNamespace("ns-deploy").withName("echo-v2").get().getSpec().getSelector())
                    .isEqualTo(Map.of("app", "echo", "version", "v2"));
            assertThat(client.serviceAccounts().inNamespace("ns-deploy").list().getItems()).extracting(s -> s.getMetadata().getName())
                    .containsExactlyInAnyOrder("echo", "client");

            Deployment v1 = client.apps().deployments().inNamespace("ns-deploy").withName("echo-v1").get();
            var pod = v1.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).isEqualTo("echo");
            assertThat(v1.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("version", "v1").containsEntry("app", "echo");
            var container = pod.getContainers().get(0);
            assertThat(container.getImage()).isEqualTo(IMAGE);
            assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValueFrom().getFieldRef().getFieldPath())
                    .containsExactly("POD_NAME=metadata.name", "POD_NAMESPACE=metadata.namespace",
                            "SERVICE_ACCOUNT=spec.serviceAccountName", "VERSION=metadata.labels['version']");
            assertThat(client.apps().deployments().inNamespace("ns-deploy").withName("client").get()
                    .getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("client");
        }
    }

    @Test
    void closingTheScopeDeletesEverythingItApplied() {
        Scope scope = new Scope("test");
        Workloads w = new Workloads(client, scope, IMAGE);
        List<HasMetadata> applied = w.deployServer("ns-clean", "v1");
        w.deployClient("ns-clean");
        assertThat(applied).hasSize(4);
        assertThat(client.apps().deployments().inNamespace("ns-clean").list().getItems()).hasSize(2);
        scope.close();
        assertThat(client.apps().deployments().inNamespace("ns-clean").list().getItems()).isEmpty();
        assertThat(client.services().inNamespace("ns-clean").list().getItems()).isEmpty();
        assertThat(client.serviceAccounts().inNamespace("ns-clean").list().getItems()).isEmpty();
    }

    @Test
    void awaitReadyReturnsOnceTheControllerReportsTheDeploymentAvailable() {
        try (Scope scope = new Scope("test")) {
            Workloads w = new Workloads(client, scope, IMAGE);
            w.deployClient("ns-ready");
            // the "controller": reports the rollout done a little later, while awaitReady polls
            CompletableFuture<Void> controller = CompletableFuture.runAsync(() -> markAvailable("ns-ready", "client"),
                    CompletableFuture.delayedExecutor(700, java.util.concurrent.TimeUnit.MILLISECONDS));
            w.awaitReady("ns-ready", "client", Duration.ofSeconds(20));
            assertThat(controller).isDone();
        }
    }

    @Test
    void awaitReadyTimesOutNamingTheDeploymentAndTheMissingCondition() {
        try (Scope scope = new Scope("test")) {
            Workloads w = new Workloads(client, scope, IMAGE);
            w.deployServer("ns-slow", "v2");
            assertThatThrownBy(() -> w.awaitReady("ns-slow", "echo-v2", Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(MeshproofException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                        assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for Deployment ns-slow/echo-v2 ready: missing condition Available=True "
                                + "(no status yet: the controller has not seen it)");
                        assertThat(e.hint()).contains("kubectl -n ns-slow describe deployment echo-v2").contains("-l app=echo");
                    });
        }
    }

    @Test
    void awaitReadyNamesUnavailableReplicasWhenTheRolloutIsStuck() {
        try (Scope scope = new Scope("test")) {
            Workloads w = new Workloads(client, scope, IMAGE);
            w.deployClient("ns-stuck");
            Deployment d = client.apps().deployments().inNamespace("ns-stuck").withName("client").get();
            d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(0).withAvailableReplicas(0)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("False")
                            .withReason("MinimumReplicasUnavailable").build()).build());
            client.resource(d).inNamespace("ns-stuck").updateStatus();
            assertThatThrownBy(() -> w.awaitReady("ns-stuck", "client", Duration.ofSeconds(1)))
                    .hasMessage("timed out after 1s waiting for Deployment ns-stuck/client ready: missing availableReplicas=1 (have 0, ready 0)");
        }
    }

    @Test
    void missingVariableIsUsageErrorNamingFixtureAndVariable() {
        assertThatThrownBy(() -> Fixtures.render(Fixtures.AGENT_SERVER, Map.of("NAMESPACE", "ns", "IMAGE", IMAGE)))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("fixture fixtures/workloads/agent-server.yaml needs a value for VERSION");
                });
    }

    @Test
    void malformedNamespaceIsUsageErrorNamingTheVariable() {
        assertThatThrownBy(() -> Fixtures.render(Fixtures.AGENT_CLIENT, Map.of("NAMESPACE", "Bad_NS", "IMAGE", IMAGE)))
                .hasMessage("fixture fixtures/workloads/agent-client.yaml: variable NAMESPACE is \"Bad_NS\", "
                        + "which is not a DNS label (lower case, digits, '-', at most 63)");
    }

    @Test
    void renderedFixtureHasNoPlaceholdersLeft() {
        String yaml = Fixtures.render(Fixtures.AGENT_SERVER, Map.of("NAMESPACE", "ns", "IMAGE", IMAGE, "VERSION", "v1"));
        assertThat(yaml).doesNotContain("${").contains("name: echo-v1").contains("image: " + IMAGE);
    }

    private static void markAvailable(String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1)
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                        .withReason("MinimumReplicasAvailable").build()).build());
        client.resource(d).inNamespace(namespace).updateStatus();
    }
}
