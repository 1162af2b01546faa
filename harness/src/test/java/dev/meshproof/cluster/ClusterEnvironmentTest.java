package dev.meshproof.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.core.RunDirectory;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** environment.json: the nodes' OS, kernel and runtime and the digests the mesh's containers ran, read from the API server. */
@EnableKubernetesMockClient(crud = true)
class ClusterEnvironmentTest {
    KubernetesClient client;

    @TempDir
    Path tmp;

    @Test
    void recordsNodesAndTheImageDigestsTheMeshRan() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("k3s-node-1").endMetadata().withNewStatus().withNewNodeInfo()
                .withOsImage("K3s v1.34.6+k3s1").withKernelVersion("6.8.0-1014-azure").withContainerRuntimeVersion("containerd://2.1.5-k3s1")
                .withKubeletVersion("v1.34.6+k3s1").withArchitecture("amd64").endNodeInfo().endStatus().build()).create();
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata().withName("ztunnel-x7k2p").endMetadata()
                .withNewStatus().addNewContainerStatus().withName("istio-proxy").withImage("docker.io/istio/ztunnel:1.29.6-distroless")
                .withImageID("docker.io/istio/ztunnel@sha256:0f2b0c6d").endContainerStatus().endStatus().build()).create();
        RunDirectory run = RunDirectory.at(tmp);

        ClusterEnvironment.record(client, "istio-system", run);

        JsonNode env = new ObjectMapper().readTree(run.resolve(ClusterEnvironment.FILE).toFile());
        assertThat(env.get("nodes").get(0).get("kernelVersion").asText()).isEqualTo("6.8.0-1014-azure");
        assertThat(env.get("nodes").get(0).get("containerRuntimeVersion").asText()).isEqualTo("containerd://2.1.5-k3s1");
        assertThat(env.get("meshImages").get(0).get("imageID").asText()).isEqualTo("docker.io/istio/ztunnel@sha256:0f2b0c6d");
        assertThat(env.get("meshImages").get(0).get("pod").asText()).isEqualTo("istio-system/ztunnel-x7k2p");
        // the mock API server serves no /version: recorded as an error, not a failure of the run
        assertThat(env.has("kubernetesVersion")).isTrue();
    }
}
