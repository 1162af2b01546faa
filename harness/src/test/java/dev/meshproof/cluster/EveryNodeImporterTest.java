package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --preload and the agent image on a multi-node k3s: each node's containerd gets the tar, and each confirms it. */
class EveryNodeImporterTest {
    @TempDir
    Path tmp;

    private static Map<String, CtrImageImporterTest.ScriptedNode> nodes(String... names) {
        Map<String, CtrImageImporterTest.ScriptedNode> nodes = new LinkedHashMap<>();
        for (String name : names) {
            CtrImageImporterTest.ScriptedNode node = new CtrImageImporterTest.ScriptedNode();
            node.listed = "docker.io/istio/ztunnel:1.29.6-distroless\n";
            nodes.put(name, node);
        }
        return nodes;
    }

    @Test
    void everyNodeImportsAndListsTheImage() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("ztunnel.tar"), "istio/ztunnel:1.29.6-distroless");
        Map<String, CtrImageImporterTest.ScriptedNode> nodes = nodes("meshproof-server", "meshproof-agent-1", "meshproof-agent-2");

        List<String> refs = new EveryNodeImporter(nodes).importImage(tar);

        assertThat(refs).containsExactly("docker.io/istio/ztunnel:1.29.6-distroless");
        nodes.forEach((name, node) -> assertThat(node.log).as(name).containsExactly(
                "copy ztunnel.tar -> /tmp/meshproof-images/ztunnel.tar",
                "ctr -n k8s.io images import /tmp/meshproof-images/ztunnel.tar",
                "rm -f /tmp/meshproof-images/ztunnel.tar",
                "ctr -n k8s.io images ls -q"));
    }

    @Test
    void aNodeThatDoesNotListTheImageAfterwardsIsNamed() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("ztunnel.tar"), "istio/ztunnel:1.29.6-distroless");
        Map<String, CtrImageImporterTest.ScriptedNode> nodes = nodes("meshproof-server", "meshproof-agent-1");
        nodes.get("meshproof-agent-1").listed = "docker.io/rancher/mirrored-pause:3.6\n";

        assertThatThrownBy(() -> new EveryNodeImporter(nodes).importImage(tar)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).startsWith("node meshproof-agent-1: imported ").contains("containerd does not list [docker.io/istio/ztunnel:1.29.6-distroless]");
        });
    }

    @Test
    void whatEveryNodeListsIsWhatTheyHaveInCommon() {
        Map<String, CtrImageImporterTest.ScriptedNode> nodes = nodes("meshproof-server", "meshproof-agent-1");
        nodes.get("meshproof-server").listed = "a:1\nb:1\n";
        nodes.get("meshproof-agent-1").listed = "b:1\nc:1\n";
        assertThat(new EveryNodeImporter(nodes).listedEverywhere()).containsExactly("b:1");
    }
}
