package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CtrImageImporterTest {
    @TempDir
    Path tmp;

    /** Plays the k3s node: answers ctr commands as scripted and records everything run. */
    static final class ScriptedNode implements ContainerShell {
        final List<String> log = new ArrayList<>();
        Result importResult = new Result(0, "unpacking docker.io/meshproof/agent:0.1 (sha256:ab)...done\n", "");
        String listed = "";

        @Override
        public Result exec(String... command) {
            String line = String.join(" ", command);
            log.add(line);
            if (line.startsWith("ctr -n k8s.io images import")) {
                return importResult;
            }
            if (line.equals("ctr -n k8s.io images ls -q")) {
                return new Result(0, listed, "");
            }
            return new Result(0, "", "");
        }

        @Override
        public void copyIn(Path hostFile, String containerPath) {
            log.add("copy " + hostFile.getFileName() + " -> " + containerPath);
        }
    }

    @Test
    void copiesImportsInK8sNamespaceCleansUpAndConfirmsWithCtrLs() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("agent.tar"), "meshproof/agent:0.1");
        ScriptedNode node = new ScriptedNode();
        node.listed = "docker.io/meshproof/agent:0.1\nsha256:ab\ndocker.io/rancher/mirrored-pause:3.6\n";

        List<String> refs = new CtrImageImporter(node).importImage(tar);

        assertThat(refs).containsExactly("docker.io/meshproof/agent:0.1");
        assertThat(node.log).containsExactly(
                "copy agent.tar -> /tmp/meshproof-images/agent.tar",
                "ctr -n k8s.io images import /tmp/meshproof-images/agent.tar",
                "rm -f /tmp/meshproof-images/agent.tar",
                "ctr -n k8s.io images ls -q");
    }

    @Test
    void multiPlatformDigestErrorSaysToSaveOnePlatform() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("multi.tar"), "busybox:1.36");
        ScriptedNode node = new ScriptedNode();
        node.importResult = new ContainerShell.Result(1, "",
                "ctr: content digest sha256:1f3e: not found\n");

        assertThatThrownBy(() -> new CtrImageImporter(node).importImage(tar)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("ctr images import multi.tar failed: ctr: content digest sha256:1f3e: not found");
            assertThat(e.hint()).contains("docker save --platform linux/amd64");
        });
        assertThat(node.log).contains("rm -f /tmp/meshproof-images/multi.tar"); // staged copy removed on failure too
    }

    @Test
    void importThatContainerdDoesNotListIsAnError() throws IOException {
        Path tar = ImageTarFiles.dockerSave(tmp.resolve("agent.tar"), "meshproof/agent:0.1");
        ScriptedNode node = new ScriptedNode();
        node.listed = "docker.io/rancher/mirrored-pause:3.6\n";

        assertThatThrownBy(() -> new CtrImageImporter(node).importImage(tar)).isInstanceOfSatisfying(MeshproofException.class,
                e -> assertThat(e.getMessage()).contains("does not list [docker.io/meshproof/agent:0.1]"));
    }
}
