package dev.meshproof.cli;

import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.ProfileLoader;
import dev.meshproof.cluster.ClientCluster;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.mesh.MeshInstallers;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On a user's cluster, cross-node placement is checked against the nodes it has before Istio is installed. */
@EnableKubernetesMockClient(crud = true)
class ClusterBenchPlacementTest {
    KubernetesClient client;
    @TempDir
    Path tmp;

    @Test
    void aSingleSchedulableNodeStopsACrossNodeBenchBeforeTheInstall() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("only-worker").endMetadata().withNewSpec().endSpec().build()).create();
        LoadProfile crossNode = ProfileLoader.load("istio-docs");
        assertThat(crossNode.placement()).isEqualTo(LoadProfile.Placement.CROSS_NODE);

        try (Scope scope = new Scope("t")) {
            assertThatThrownBy(() -> ClusterBench.prepare(new ClientCluster(client, Cluster.Platform.GENERIC), true, MeshInstallers.Options.defaults(), false,
                    new ClusterBench.AgentImageChoice("meshproof/agent:test", "unused"), crossNode, RunDirectory.at(tmp.resolve("run")), scope))
                    .isInstanceOfSatisfying(MeshproofException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                        assertThat(e.getMessage()).isEqualTo("placement cross-node needs two schedulable nodes; the cluster has 1 (only-worker)");
                    });
            assertThat(scope.pending()).isZero(); // nothing was installed, so nothing is to be undone
        }
        assertThat(client.namespaces().list().getItems()).isEmpty();
        assertThat(tmp.resolve("run").resolve("plan.txt")).doesNotExist();
    }
}
