package dev.meshproof.e2e;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.PodPlacement;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.K3sCluster;
import dev.meshproof.cluster.K3sClusterProvider;
import dev.meshproof.cluster.TestcontainersDockerEngine;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --nodes 2} for real: a k3s server and an agent in Docker join into one cluster, both nodes Ready under their
 * names; an image tar lands in both nodes' containerd; pods pinned to the two nodes reach each other (flannel between
 * the containers); and closing the run's scope leaves no container and no network behind. Starts its own cluster, so
 * it needs Docker and the k3s image (skipped with one line otherwise) but not the shared live cluster.
 */
@Tag("e2e")
@ExtendWith(LiveCluster.Selected.class)
class MultiNodeK3sE2ETest {
    /** A small image with ping, pulled by the nodes (the live tier has registry access). */
    static final String BUSYBOX = "busybox:1.36";

    @Test
    void serverAndAgentFormOneClusterThatImportsEverywhereConnectsAcrossNodesAndLeavesNothing(@TempDir Path tmp) throws Exception {
        DockerEngine docker = new TestcontainersDockerEngine();
        String image = LiveCluster.k3sImage();
        Optional<String> unavailable = LiveCluster.k3sUnavailable(docker, image, LiveCluster.pullTimeout());
        if (unavailable.isPresent()) {
            throw new TestAbortedException(LiveCluster.announce(unavailable.get()));
        }
        String label = "e2e-multinode-" + UUID.randomUUID().toString().substring(0, 8);
        K3sClusterProvider provider = new K3sClusterProvider(image, docker, LiveCluster.pullTimeout(), K3sClusterProvider.Lifetime.RUN, label).nodes(2);

        try (Scope scope = new Scope("e2e-multinode")) {
            Cluster cluster = provider.provision(RunDirectory.at(tmp.resolve("run")), scope);
            KubernetesClient client = cluster.client();

            List<Node> nodes = client.nodes().list().getItems();
            assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("meshproof-server", "meshproof-agent-1");
            assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getConditions())
                    .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True")));
            assertThat(((K3sCluster) cluster).nodeNames()).containsExactly("meshproof-server", "meshproof-agent-1");

            Path file = Files.writeString(tmp.resolve("hello.txt"), "meshproof multi-node import\n");
            Path tar = tmp.resolve("multinode-import.tar");
            Jib.fromScratch().addLayer(List.of(file), AbsoluteUnixPath.get("/"))
                    .containerize(Containerizer.to(TarImage.at(tar).named("meshproof.test/multinode-import:1"))
                            .setBaseImageLayersCache(tmp.resolve("jib-base")).setApplicationLayersCache(tmp.resolve("jib-app")));
            assertThat(cluster.imageImporter().orElseThrow().importImage(tar)).containsExactly("meshproof.test/multinode-import:1");
            assertThat(((K3sCluster) cluster).containerdImages()).contains("meshproof.test/multinode-import:1"); // on every node

            String[] pair = new PodPlacement(client, Duration.ofMinutes(1)).choose(LoadProfile.Placement.CROSS_NODE).orElseThrow();
            assertThat(pair[0]).isNotEqualTo(pair[1]);
            String ns = "default";
            Pod target = client.pods().inNamespace(ns).resource(pod("mp-target", pair[1], "sleep", "600")).create();
            scope.onClose("delete pod mp-target", () -> client.pods().inNamespace(ns).withName("mp-target").delete());
            String ip = Awaitility.await("pod mp-target has an IP").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> client.pods().inNamespace(ns).withName(target.getMetadata().getName()).get().getStatus().getPodIP(), v -> v != null);
            client.pods().inNamespace(ns).resource(pod("mp-prober", pair[0], "ping", "-c", "3", "-W", "5", ip)).create();
            scope.onClose("delete pod mp-prober", () -> client.pods().inNamespace(ns).withName("mp-prober").delete());
            String phase = Awaitility.await("pod mp-prober on " + pair[0] + " pinging " + ip + " on " + pair[1] + " ends")
                    .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> client.pods().inNamespace(ns).withName("mp-prober").get().getStatus().getPhase(),
                            p -> "Succeeded".equals(p) || "Failed".equals(p));
            assertThat(phase).as(client.pods().inNamespace(ns).withName("mp-prober").getLog()).isEqualTo("Succeeded");
        }

        assertThat(docker.containersLabelled(K3sClusterProvider.LABEL, label)).isEmpty();
        assertThat(docker.networksLabelled(K3sClusterProvider.LABEL, label)).isEmpty();
    }

    private static Pod pod(String name, String node, String... command) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withRestartPolicy("Never").addToNodeSelector("kubernetes.io/hostname", node)
                .addNewContainer().withName("c").withImage(BUSYBOX).withCommand(command).endContainer()
                .endSpec().build();
    }
}
