package dev.meshproof.traffic;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which pod the traffic client forwards to, and that the port-forward is closed with its scope. (Traffic through a
 * real port-forward needs a cluster: InClusterTrafficE2ETest.)
 */
@EnableKubernetesMockClient(crud = true)
class TrafficClientPortForwardTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private static void pod(String ns, String name, String ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("app", "client").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus().build();
        client.resource(pod).inNamespace(ns).create();
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void noReadyClientPodIsAnEnvironmentErrorNamingTheSelector() {
        pod("pf-none", "client-1", "False");
        try (Scope scope = new Scope("test")) {
            assertThatThrownBy(() -> TrafficClient.viaPortForward(client, "pf-none", "client", scope))
                    .isInstanceOfSatisfying(MeshproofException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                        assertThat(e.getMessage()).isEqualTo("no ready pod with app=client in namespace pf-none");
                    });
            assertThat(scope.pending()).isZero();
        }
    }

    @Test
    void forwardsToTheReadyPodAndTheScopeClosesTheForward() {
        pod("pf-ok", "client-unready", "False");
        pod("pf-ok", "client-ready", "True");
        Scope scope = new Scope("test");
        TrafficClient traffic = TrafficClient.viaPortForward(client, "pf-ok", "client", scope);
        assertThat(traffic.description()).isEqualTo("pod pf-ok/client-ready");
        assertThat(scope.pending()).isEqualTo(1);
        assertThat(listening(traffic.port())).as("forward listens on 127.0.0.1").isTrue();
        scope.close();
        // fabric8 closes the forward's listener asynchronously
        org.awaitility.Awaitility.await("port-forward listener closed").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !listening(traffic.port()));
    }
}
