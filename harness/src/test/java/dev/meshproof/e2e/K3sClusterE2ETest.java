package dev.meshproof.e2e;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.K3sCluster;
import io.fabric8.kubernetes.api.model.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The k3s provider for real: k3s starts, the node is Ready, the CNI bin dir is read, an image tar is imported. */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
class K3sClusterE2ETest {

    @Test
    void nodeIsReadyAndKubeSystemRuns(Cluster cluster) {
        List<Node> nodes = cluster.client().nodes().list().getItems();
        assertThat(nodes).isNotEmpty().allSatisfy(n -> assertThat(n.getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("True");
                }));
        assertThat(cluster.client().pods().inNamespace("kube-system").list().getItems())
                .anySatisfy(p -> assertThat(p.getMetadata().getName()).startsWith("coredns"));
        assertThat(cluster.description()).doesNotContain("token");
    }

    @Test
    void cniBinDirIsReadFromTheRunningNode(Cluster cluster) {
        assumeTrue(cluster instanceof K3sCluster, "e2e: k3s-only (MESHPROOF_KUBECONFIG points at another cluster)");
        // k3s images since v1.32.3 use the static dir (k3s-io/k3s#11790); the pinned v1.34 image must too
        assertThat(cluster.cniBinDir()).contains("/var/lib/rancher/k3s/data/cni");
        assertThat(cluster.platform()).isEqualTo(Cluster.Platform.K3S);
    }

    @Test
    void imageTarIsImportedAndListedByCtr(Cluster cluster, @TempDir Path tmp) throws Exception {
        assumeTrue(cluster instanceof K3sCluster, "e2e: k3s-only (MESHPROOF_KUBECONFIG points at another cluster)");
        // A one-file image built offline with Jib (FROM scratch, single platform, docker-save format).
        Path file = Files.writeString(tmp.resolve("hello.txt"), "meshproof e2e import\n");
        Path tar = tmp.resolve("e2e-import.tar");
        Jib.fromScratch()
                .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
                .containerize(Containerizer.to(TarImage.at(tar).named("meshproof.test/e2e-import:1"))
                        .setBaseImageLayersCache(tmp.resolve("jib-base"))
                        .setApplicationLayersCache(tmp.resolve("jib-app")));

        List<String> imported = cluster.imageImporter().orElseThrow().importImage(tar);

        assertThat(imported).containsExactly("meshproof.test/e2e-import:1");
        assertThat(((K3sCluster) cluster).containerdImages()).contains("meshproof.test/e2e-import:1");
    }
}
