package dev.meshproof.cli;

import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.cluster.LongLivedK3s;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --nodes N} on the commands that start k3s, cross-node placement against the nodes asked for, {@code --preload}
 * on bench and cluster up, and the long-lived multi-node cluster's up/status/down — all decided before or without a
 * running cluster, with a scripted Docker engine.
 */
class NodesOptionTest {
    @TempDir
    Path tmp;

    private static String firstLine(CliRunner r) {
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void aNodeCountOutsideOneToTenIsOneLineAndExit2BeforeDockerIsAsked() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false);
        for (String[] args : new String[][]{
                {"run", "--nodes", "0", "--out", tmp.resolve("r").toString()},
                {"bench", "--nodes", "11", "--out", tmp.resolve("b").toString()},
                {"cluster", "up", "--nodes", "-1", "--out", tmp.resolve("c").toString()}}) {
            CliRunner r = ClusterCliTest.with(docker, args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(firstLine(r)).as(String.join(" ", args)).matches("error: --nodes must be between 1 and 10, not -?\\d+");
        }
        assertThat(docker.calls).isEmpty();
        assertThat(CliRunner.run("run", "--nodes", "two").exitCode()).isEqualTo(2);
    }

    @Test
    void yourOwnClusterHasTheNodesItHasAndInstallUsesARunningK3s() throws IOException {
        Path kubeconfig = Files.writeString(tmp.resolve("kc"), "apiVersion: v1\nkind: Config\n");
        CliRunner own = CliRunner.run("run", "--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--nodes", "2",
                "--out", tmp.resolve("run").toString());
        assertThat(own.exitCode()).isEqualTo(2);
        assertThat(firstLine(own)).isEqualTo("error: --nodes needs --cluster k3s: your own cluster has the nodes it has");

        CliRunner install = CliRunner.run("install", "--nodes", "3");
        assertThat(install.exitCode()).isEqualTo(2);
        assertThat(firstLine(install)).isEqualTo("error: --nodes applies when k3s starts, and install uses a k3s that is running already");
    }

    @Test
    void crossNodeOnOneK3sNodeIsExit2BeforeAnythingStartsAndTwoNodesGetPastIt() {
        FakeDockerEngine docker = FakeDockerEngine.unreachable();
        CliRunner one = ClusterCliTest.with(docker, "bench", "--profile", "istio-docs", "--out", tmp.resolve("one").toString());
        assertThat(one.exitCode()).isEqualTo(2);
        assertThat(firstLine(one)).isEqualTo("error: placement cross-node needs two schedulable nodes; --nodes 1 starts one k3s node");
        assertThat(one.err()).contains("--nodes 2");
        assertThat(docker.calls).isEmpty();

        CliRunner two = ClusterCliTest.with(docker, "bench", "--profile", "istio-docs", "--nodes", "2", "--out", tmp.resolve("two").toString());
        assertThat(two.exitCode()).as(two.err()).isEqualTo(3); // on to the Docker probe, which finds none here
        assertThat(docker.calls).containsExactly("probe");
    }

    @Test
    void benchPreloadIsForTheK3sOfClusterModeWhereMeshproofInstallsIstio() {
        CliRunner local = CliRunner.run("bench", "--target", "http://127.0.0.1:9/", "--preload", "docker", "--out", tmp.resolve("l").toString());
        assertThat(local.exitCode()).isEqualTo(2);
        assertThat(firstLine(local)).isEqualTo("error: --preload: imports images into the k3s of cluster mode; --target runs locally");

        CliRunner preinstalled = CliRunner.run("bench", "--mesh-preinstalled", "--preload", "docker", "--out", tmp.resolve("p").toString());
        assertThat(preinstalled.exitCode()).isEqualTo(2);
        assertThat(firstLine(preinstalled)).startsWith("error: --preload: imports the images of the Istio Meshproof installs");

        CliRunner missingDir = CliRunner.run("bench", "--preload", tmp.resolve("absent").toString(), "--out", tmp.resolve("d").toString());
        assertThat(missingDir.exitCode()).isEqualTo(2);
        assertThat(firstLine(missingDir)).isEqualTo("error: --preload directory not found: " + tmp.resolve("absent"));
    }

    @Test
    void clusterUpPreloadIsValidatedBeforeDockerIsAsked() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false);
        CliRunner badMode = ClusterCliTest.with(docker, "cluster", "up", "--preload", "docker", "--mode", "mesh", "--out", tmp.toString());
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(firstLine(badMode)).isEqualTo("error: unknown --mode 'mesh'");
        CliRunner missingDir = ClusterCliTest.with(docker, "cluster", "up", "--preload", tmp.resolve("absent").toString(), "--out", tmp.toString());
        assertThat(missingDir.exitCode()).isEqualTo(2);
        assertThat(docker.calls).isEmpty();
    }

    @Test
    void clusterUpDoesNotStartASecondClusterBesideOneWithOtherNodes() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false)
                .withNode("5e", "running", LongLivedK3s.LABEL_VALUE, "meshproof-server", "server")
                .withNode("a1", "running", LongLivedK3s.LABEL_VALUE, "meshproof-agent-1", "agent");
        CliRunner r = ClusterCliTest.with(docker, "cluster", "up", "--out", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(firstLine(r)).isEqualTo("error: a 'cluster up' k3s with nodes meshproof-agent-1, meshproof-server exists; this one would start beside it");
        assertThat(r.err()).contains("meshproof cluster down");
        assertThat(docker.calls).doesNotContain("hasImage rancher/k3s:v1.34.6-k3s1");
    }

    @Test
    void statusNamesEachNodeAndDownRemovesTheContainersThenTheirNetwork() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false)
                .withNode("5e5e5e5e5e5e5e", "running", LongLivedK3s.LABEL_VALUE, "meshproof-server", "server")
                .withNode("a1a1a1a1a1a1a1", "running", LongLivedK3s.LABEL_VALUE, "meshproof-agent-1", "agent")
                .withNetwork("net-ll", "meshproof-k3s-long-lived", LongLivedK3s.LABEL_VALUE)
                .withNetwork("net-run", "some-run", "run");

        CliRunner status = ClusterCliTest.with(docker, "cluster", "status", "--out", tmp.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("k3s is running: container 5e5e5e5e5e5e (rancher/k3s:v1.34.6-k3s1), API on host port 41234")
                .contains("k3s node meshproof-agent-1 is running: container a1a1a1a1a1a1 (rancher/k3s:v1.34.6-k3s1)");

        CliRunner down = ClusterCliTest.with(docker, "cluster", "down", "--out", tmp.toString());
        assertThat(down.exitCode()).isZero();
        assertThat(docker.calls).containsSubsequence("remove 5e5e5e5e5e5e5e", "remove a1a1a1a1a1a1a1", "remove network net-ll")
                .doesNotContain("remove network net-run");
    }
}
