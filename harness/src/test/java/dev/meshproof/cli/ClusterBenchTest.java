package dev.meshproof.cli;

import dev.meshproof.bench.DataPath;
import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.mesh.MeshMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterBenchTest {

    @Test
    void profileModesDecideWhichIstioIsInstalled() {
        assertThat(ClusterBench.meshFor(List.of(DataPath.NO_MESH))).isEmpty();
        assertThat(ClusterBench.meshFor(List.of(DataPath.NO_MESH, DataPath.SIDECAR))).isEqualTo(Optional.of(MeshMode.SIDECAR));
        assertThat(ClusterBench.meshFor(List.of(DataPath.AMBIENT_L7))).isEqualTo(Optional.of(MeshMode.AMBIENT));
        assertThat(ClusterBench.meshFor(List.of(DataPath.NO_MESH, DataPath.SIDECAR, DataPath.AMBIENT_L4, DataPath.AMBIENT_L7))).isEqualTo(Optional.of(MeshMode.HYBRID));
    }

    @Test
    void clusterModeWithoutDockerExitsThreeWithOneLine(@TempDir Path out) throws Exception {
        try (AutoCloseable fake = DockerEngines.use(FakeDockerEngine.unreachable())) {
            CliRunner r = CliRunner.run("bench", "--profile", "smoke", "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(r.err().lines().filter(l -> l.startsWith("error: "))).singleElement().asString().contains("no Docker engine");
        }
    }

    @Test
    void clusterModeWithMissingKubeconfigExitsTwo(@TempDir Path out) {
        CliRunner r = CliRunner.run("bench", "--cluster", "kubeconfig", "--kubeconfig", "/missing", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: kubeconfig file not found: /missing");
    }
}
