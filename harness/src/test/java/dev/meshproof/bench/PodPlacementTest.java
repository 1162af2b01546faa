package dev.meshproof.bench;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node choice and placement recording against the fabric8 mock API server (the test plays the scheduler). */
@EnableKubernetesMockClient(crud = true)
class PodPlacementTest {
    KubernetesClient client;

    private void node(String name, boolean unschedulable) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec().build()).create();
    }

    private void pod(String ns, String name, String app, String node) {
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels("app", app).endMetadata().withNewSpec().withNodeName(node).endSpec().build()).create();
    }

    @Test
    void crossNodeNeedsTwoSchedulableNodes() {
        node("a", false);
        node("b", true);
        PodPlacement placement = new PodPlacement(client, Duration.ofSeconds(5));
        assertThatThrownBy(() -> placement.choose(LoadProfile.Placement.CROSS_NODE))
                .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("placement cross-node needs two schedulable nodes; the cluster has 1 (a)");
        assertThat(placement.choose(LoadProfile.Placement.SAME_NODE)).hasValueSatisfying(n -> assertThat(n).containsExactly("a", "a"));
        assertThat(placement.choose(LoadProfile.Placement.ANY)).isEmpty();
        node("c", false);
        assertThat(placement.choose(LoadProfile.Placement.CROSS_NODE)).hasValueSatisfying(n -> assertThat(n).containsExactly("a", "c"));
    }

    @Test
    void taintedNodesDoNotCountAndTheErrorSaysWhy() {
        node("worker-b", false);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("control-a").endMetadata().withNewSpec()
                .addNewTaint().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").endTaint().endSpec().build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-c").endMetadata().withNewSpec()
                .addNewTaint().withKey("node.kubernetes.io/not-ready").withEffect("NoExecute").endTaint()
                .addNewTaint().withKey("example.com/soft").withValue("x").withEffect("PreferNoSchedule").endTaint().endSpec().build()).create();
        PodPlacement placement = new PodPlacement(client, Duration.ofSeconds(5));

        assertThatThrownBy(() -> placement.choose(LoadProfile.Placement.CROSS_NODE))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("placement cross-node needs two schedulable nodes; the cluster has 1 (worker-b); "
                            + "not schedulable for the benchmark's pods: control-a (taint node-role.kubernetes.io/control-plane:NoSchedule), "
                            + "worker-c (taint node.kubernetes.io/not-ready:NoExecute)");
                    assertThat(e.hint()).contains("--nodes 2");
                });
        assertThat(placement.choose(LoadProfile.Placement.SAME_NODE)).hasValueSatisfying(n -> assertThat(n).containsExactly("worker-b", "worker-b"));
    }

    @Test
    void aMultiNodeK3sGivesClientAndServerTheirOwnNodes() {
        node("meshproof-server", false);
        node("meshproof-agent-1", false);
        node("meshproof-agent-2", false);
        assertThat(new PodPlacement(client, Duration.ofSeconds(5)).choose(LoadProfile.Placement.CROSS_NODE))
                .hasValueSatisfying(n -> assertThat(n).containsExactly("meshproof-agent-1", "meshproof-agent-2"));
    }

    @Test
    void pinTimesOutNamingThePodAndWhereItRuns() {
        client.apps().deployments().inNamespace("pin").resource(new DeploymentBuilder().withNewMetadata().withName("client")
                .withNamespace("pin").endMetadata().withNewSpec().withNewTemplate().withNewSpec().endSpec().endTemplate().endSpec().build()).create();
        pod("pin", "client-1", "client", "node-b");
        assertThatThrownBy(() -> new PodPlacement(client, Duration.ofSeconds(1)).pin("pin", "client", "client", "node-a"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for one pod app=client ready on node node-a: "
                            + "pod client-1 is on node node-b");
                });
        assertThat(client.apps().deployments().inNamespace("pin").withName("client").get().getSpec().getTemplate().getSpec()
                .getNodeSelector()).containsEntry(PodPlacement.HOSTNAME, "node-a");
    }

    @Test
    void recordsWhereClientServerAndWaypointRun() {
        pod("bench", "client-1", "client", "node-1");
        pod("bench", "echo-v1-1", "echo", "node-2");
        client.pods().inNamespace("bench").resource(new PodBuilder().withNewMetadata().withName("waypoint-1").withNamespace("bench")
                .addToLabels(PodPlacement.WAYPOINT_POD_LABEL, "waypoint").endMetadata()
                .withNewSpec().withNodeName("node-1").endSpec().build()).create();
        Map<String, String> p = new PodPlacement(client, Duration.ofSeconds(5)).record("bench", "client", "echo");
        assertThat(p).containsEntry("client", "node-1").containsEntry("server", "node-2").containsEntry("waypoint", "node-1")
                .containsEntry("topology", "cross-node").containsEntry("clientPod", "client-1");

        pod("same", "client-1", "client", "node-1");
        pod("same", "echo-v1-1", "echo", "node-1");
        assertThat(new PodPlacement(client, Duration.ofSeconds(5)).record("same", "client", "echo"))
                .containsEntry("topology", "same-node").doesNotContainKey("waypoint");
    }

    @Test
    void targetsAreTheModesOwnServerService() {
        ClusterModeRunner runner = new ClusterModeRunner(null, (ns, m, s) -> { }, (ns, s) -> { }, null, null,
                LoadProfile.Placement.ANY, null, null);
        assertThat(runner.targetFor(DataPath.AMBIENT_L7, "/echo").toString())
                .isEqualTo("http://echo.meshproof-bench-ambient-l7.svc.cluster.local:8080/echo");
        assertThat(ClusterModeRunner.namespace(DataPath.SIDECAR)).isEqualTo("meshproof-bench-sidecar");
    }
}
