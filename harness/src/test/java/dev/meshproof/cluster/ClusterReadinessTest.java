package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test plays the kubelet and the controllers by writing node and pod status into the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class ClusterReadinessTest {
    KubernetesClient client;

    /** Create, then write the status as the kubelet would (the CRUD server keeps status to the status subresource). */
    <T extends io.fabric8.kubernetes.api.model.HasMetadata> void put(T object) {
        client.resource(object).create();
        client.resource(object).updateStatus();
    }

    ClusterReadiness readiness(Duration timeout) {
        return new ClusterReadiness(client, timeout, Duration.ofMillis(100));
    }

    static Node node(String name, String ready, String reason) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason(reason).endCondition().endStatus()
                .build();
    }

    static Pod pod(String name, String phase, Boolean ready) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("kube-system").endMetadata()
                .withNewStatus().withPhase(phase).endStatus();
        if (ready != null) {
            b.editStatus().withContainerStatuses(new ContainerStatusBuilder().withName("c").withReady(ready).build()).endStatus();
        }
        return b.build();
    }

    @Test
    void readyNodeAndRunningReadyOrSucceededPodsPass() {
        put(node("k3s-0", "True", "KubeletReady"));
        put(pod("coredns-1", "Running", true));
        put(pod("helm-install-x", "Succeeded", false));

        readiness(Duration.ofSeconds(5)).await();

        assertThat(readiness(Duration.ofSeconds(1)).nodesNotReady()).isEmpty();
        assertThat(readiness(Duration.ofSeconds(1)).kubeSystemPodsNotReady()).isEmpty();
    }

    @Test
    void notReadyNodeTimesOutNamingNodeAndCondition() {
        put(node("k3s-0", "False", "KubeletNotReady"));

        assertThatThrownBy(() -> readiness(Duration.ofSeconds(1)).await()).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for every node Ready: node k3s-0: Ready=False (KubeletNotReady)");
        });
    }

    @Test
    void noNodeYetIsNamedAsSuch() {
        assertThat(readiness(Duration.ofSeconds(1)).nodesNotReady()).contains("no node registered yet");
    }

    @Test
    void pendingAndUnreadyPodsAreListedByName() {
        put(node("k3s-0", "True", null));
        put(pod("coredns-1", "Pending", null));
        put(pod("metrics-server-2", "Running", false));
        put(pod("local-path-3", "Running", true));

        assertThatThrownBy(() -> readiness(Duration.ofSeconds(1)).await()).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).startsWith("timed out after 1s waiting for every kube-system pod ready: not ready: ")
                        .contains("coredns-1 (Pending)").contains("metrics-server-2 (Running, containers not ready)")
                        .doesNotContain("local-path-3"));
    }

    @Test
    void becomesReadyWhileWaiting() {
        put(node("k3s-0", "False", "KubeletNotReady"));
        put(pod("coredns-1", "Running", true));
        // the "kubelet" flips the condition shortly after the wait started
        Thread kubelet = new Thread(() -> {
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(400)).until(() -> true);
            client.resource(node("k3s-0", "True", "KubeletReady")).updateStatus();
        });
        kubelet.start();
        readiness(Duration.ofSeconds(10)).await();
        assertThat(readiness(Duration.ofSeconds(1)).nodesNotReady()).isEmpty();
    }

    @Test
    void anAgentThatHasNotJoinedIsNamedWhileTheNodesThereAreReady() {
        put(node("meshproof-server", "True", "KubeletReady"));
        put(pod("coredns-1", "Running", true));
        ClusterReadiness twoNodes = readiness(Duration.ofSeconds(1)).expecting(List.of("meshproof-server", "meshproof-agent-1"));

        assertThatThrownBy(twoNodes::await).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for every node Ready (meshproof-server, meshproof-agent-1): "
                    + "node meshproof-agent-1: not registered");
        });

        put(node("meshproof-agent-1", "False", "KubeletNotReady"));
        assertThat(twoNodes.nodesNotReady()).contains("node meshproof-agent-1: Ready=False (KubeletNotReady)");
        client.resource(node("meshproof-agent-1", "True", "KubeletReady")).updateStatus();
        twoNodes.await();
        assertThat(twoNodes.nodesNotReady()).isEmpty();
    }
}
