package dev.meshproof.cli;

import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.ThisMachinesDocker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * `cluster up` against this machine's real Docker situation: without an engine it must fail in seconds; with one
 * (which here cannot reach any registry) an image that cannot be pulled must fail within the bound. The image is on
 * a closed 127.0.0.1 port, so nothing real is pulled and nothing leaves loopback. One test skips, with its reason.
 */
class RealDockerCliTest {
    static final DockerEngine.Status docker = ThisMachinesDocker.status();
    @TempDir
    Path tmp;

    @Test
    void withoutDockerUpFailsFastWithOneLine() {
        assumeFalse(docker.reachable(), "a Docker engine is reachable here (" + docker.description() + "); ClusterCliTest plays the no-Docker case");
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRunner.run("cluster", "up", "--out", tmp.toString()));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: no Docker engine found (").endsWith("): start Docker or use --cluster kubeconfig\n");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void withDockerAnUnpullableImageFailsWithinTheBound() {
        assumeTrue(docker.reachable(), "no Docker engine here: " + docker.description());
        long start = System.nanoTime();
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> CliRunner.run("cluster", "up",
                "--k3s-image", "127.0.0.1:1/meshproof/absent:0", "--pull-timeout", "20", "--out", tmp.toString()));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: cannot pull 127.0.0.1:1/meshproof/absent:0 (").contains("docker load");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
    }
}
