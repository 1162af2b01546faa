package dev.meshproof.bench;

import dev.meshproof.cluster.ClientCluster;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cross-node placement on a multi-node cluster, against the fabric8 mock API server: the node names come from the API,
 * client and server are pinned with a {@code kubernetes.io/hostname} nodeSelector, and the recorded topology is what the
 * pods' nodes say. The test plays the scheduler, which honours the nodeSelector — or, to show the wait catches it, ignores it.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterModeRunnerPlacementTest {
    static final String NS = ClusterModeRunner.namespace(DataPath.AMBIENT_L4);
    KubernetesClient client;
    private Watch scheduler;
    private volatile boolean stopped;
    private final Scope scope = new Scope("placement-test");

    @AfterEach
    void stopSchedulerAndCleanUp() {
        stopped = true;
        if (scheduler != null) {
            scheduler.close();
        }
        scope.close();
    }

    private void nodes(String... names) {
        for (String name : names) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build()).create();
        }
    }

    /** Runs each Deployment's single pod where its nodeSelector says, or on {@code ignoringSelectorOn} when given. */
    private void scheduler(String ignoringSelectorOn) {
        scheduler = client.apps().deployments().inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.DELETED || stopped) {
                    return;
                }
                String app = d.getSpec().getTemplate().getMetadata().getLabels().get("app");
                Map<String, String> selector = Optional.ofNullable(d.getSpec().getTemplate().getSpec().getNodeSelector()).orElse(Map.of());
                try {
                    run(d, app, ignoringSelectorOn != null ? ignoringSelectorOn : selector.getOrDefault(PodPlacement.HOSTNAME, "meshproof-server"));
                } catch (KubernetesClientException e) {
                    if (!stopped) {
                        throw e;
                    }
                }
            }

            private void run(Deployment d, String app, String node) {
                client.pods().inNamespace(NS).withLabel("app", app).delete();
                Pod pod = new PodBuilder().withNewMetadata().withName(d.getMetadata().getName() + "-" + node).withNamespace(NS)
                        .addToLabels("app", app).endMetadata().withNewSpec().withNodeName(node).endSpec()
                        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
                client.resource(pod).create();
                client.resource(pod).updateStatus();
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    private ClusterModeRunner runner(LoadProfile.Placement placement, Duration pinTimeout) {
        Cluster cluster = new ClientCluster(client, Cluster.Platform.K3S);
        ClusterModeRunner.BenchWorkloads workloads = (ns, scope) -> {
            for (String[] w : new String[][]{{ClusterModeRunner.CLIENT_APP, ClusterModeRunner.CLIENT_APP}, {ClusterModeRunner.SERVER_DEPLOYMENT, ClusterModeRunner.SERVER_APP}}) {
                client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata().withName(w[0]).withNamespace(ns)
                        .endMetadata().withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", w[1]).endMetadata()
                        .withNewSpec().endSpec().endTemplate().endSpec().build()).create();
            }
        };
        return new ClusterModeRunner(cluster, (ns, mode, scope) -> { }, workloads, null, new PodPlacement(client, pinTimeout),
                placement, null, scope);
    }

    @Test
    void crossNodePinsClientAndServerToTwoNodesByHostnameAndRecordsIt() {
        nodes("meshproof-server", "meshproof-agent-1");
        scheduler(null);

        runner(LoadProfile.Placement.CROSS_NODE, Duration.ofSeconds(10)).prepare(DataPath.AMBIENT_L4);

        assertThat(nodeSelector(ClusterModeRunner.CLIENT_APP)).containsExactly(Map.entry(PodPlacement.HOSTNAME, "meshproof-agent-1"));
        assertThat(nodeSelector(ClusterModeRunner.SERVER_DEPLOYMENT)).containsExactly(Map.entry(PodPlacement.HOSTNAME, "meshproof-server"));
    }

    @Test
    void aSchedulerThatIgnoresTheSelectorIsCaughtNotRecordedAsCrossNode() {
        nodes("meshproof-server", "meshproof-agent-1");
        scheduler("meshproof-server");

        // the bound is the whole cost of this test: long enough for the fake scheduler to have run the pod on a loaded machine
        assertThatThrownBy(() -> runner(LoadProfile.Placement.CROSS_NODE, Duration.ofSeconds(4)).prepare(DataPath.AMBIENT_L4))
                .hasMessageContaining("one pod app=client ready on node meshproof-agent-1")
                .hasMessageContaining("is on node meshproof-server");
    }

    @Test
    void crossNodeOnASingleNodeIsOneErrorNotASameNodeRun() {
        nodes("meshproof-server");
        scheduler(null);

        assertThatThrownBy(() -> runner(LoadProfile.Placement.CROSS_NODE, Duration.ofSeconds(2)).prepare(DataPath.AMBIENT_L4))
                .hasMessage("placement cross-node needs two schedulable nodes; the cluster has 1 (meshproof-server)");
    }

    private Map<String, String> nodeSelector(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getTemplate().getSpec().getNodeSelector();
    }
}
