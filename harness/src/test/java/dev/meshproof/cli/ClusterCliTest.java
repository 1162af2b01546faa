package dev.meshproof.cli;

import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.cluster.LongLivedK3s;
import dev.meshproof.cluster.TestKubeconfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** `meshproof cluster up|status|down` in-process, with a scripted Docker engine so both "no Docker" and "no registry" run everywhere. */
class ClusterCliTest {
    static final String NO_DOCKER_LINE =
            "error: no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock missing): start Docker or use --cluster kubeconfig\n";
    @TempDir
    Path tmp;

    static CliRunner with(FakeDockerEngine docker, String... args) {
        try (AutoCloseable ignored = DockerEngines.use(docker)) {
            return CliRunner.run(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void clusterWithoutSubcommandIsUsageError() {
        CliRunner r = CliRunner.run("cluster");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing subcommand: up, status or down");
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThat(CliRunner.run("cluster", "up", "--bogus").exitCode()).isEqualTo(2);
        CliRunner unknownKind = CliRunner.run("cluster", "up", "--cluster", "kind");
        assertThat(unknownKind.exitCode()).isEqualTo(2);
        assertThat(unknownKind.err()).startsWith("error: unknown --cluster 'kind'\n");
        CliRunner kubeconfigWithK3s = CliRunner.run("cluster", "up", "--kubeconfig", "/x");
        assertThat(kubeconfigWithK3s.exitCode()).isEqualTo(2);
        assertThat(kubeconfigWithK3s.err()).contains("--kubeconfig and --context need --cluster kubeconfig");
        CliRunner zeroTimeout = CliRunner.run("cluster", "up", "--pull-timeout", "0");
        assertThat(zeroTimeout.exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("cluster", "up", "--pull-timeout", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void upWithYourOwnClusterIsUsageError() throws IOException {
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), "https://127.0.0.1:1");
        CliRunner r = CliRunner.run("cluster", "up", "--cluster", "kubeconfig", "--kubeconfig", kc.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("with --cluster kubeconfig there is nothing to up");
    }

    @Test
    void upWithoutDockerIsExit3WithExactlyOneLineWithinSeconds() {
        FakeDockerEngine docker = FakeDockerEngine.unreachable();
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> with(docker, "cluster", "up", "--out", tmp.toString()));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(NO_DOCKER_LINE);
        assertThat(docker.calls).containsExactly("probe");
    }

    @Test
    void upWhenTheImageCannotBePulledIsExit3NamingTheImage() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).pullFails("Get \"http://127.0.0.1:1/v2/\": connection refused");
        CliRunner r = with(docker, "cluster", "up", "--k3s-image", "127.0.0.1:1/meshproof/absent:0", "--pull-timeout", "5", "--out", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("error: cannot pull 127.0.0.1:1/meshproof/absent:0 (Get \"http://127.0.0.1:1/v2/\": connection refused): "
                + "preload it with `docker load`, configure a registry mirror, or use --cluster kubeconfig\n");
        assertThat(docker.calls).contains("pull 127.0.0.1:1/meshproof/absent:0 5s");
    }

    @Test
    void statusSaysWhetherTheLongLivedClusterRuns() throws IOException {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false)
                .withContainer("0123456789abcdef", "running", LongLivedK3s.LABEL_VALUE, 41234)
                .withContainer("fedcba9876543210", "running", "run", 45555); // a run's own k3s: not ours to report
        TestKubeconfig.write(tmp.resolve("kubeconfig.yaml"), "https://localhost:41234");

        CliRunner r = with(docker, "cluster", "status", "--out", tmp.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("k3s is running: container 0123456789ab (rancher/k3s:v1.34.6-k3s1), API on host port 41234")
                .contains("kubeconfig: " + tmp.resolve("kubeconfig.yaml")).doesNotContain("fedcba")
                .doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }

    @Test
    void statusWithNothingRunningExitsOne() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).withContainer("0123456789abcdef", "exited", LongLivedK3s.LABEL_VALUE, 1);
        CliRunner r = with(docker, "cluster", "status", "--out", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("stopped k3s container 0123456789ab").contains("no Meshproof k3s cluster is running; start one with: meshproof cluster up");
    }

    @Test
    void statusWithoutDockerIsExit3() {
        CliRunner r = with(FakeDockerEngine.unreachable(), "cluster", "status");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(NO_DOCKER_LINE);
    }

    @Test
    void downRemovesOnlyTheLongLivedContainersAndTheirKubeconfig() throws IOException {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false)
                .withContainer("0123456789abcdef", "running", LongLivedK3s.LABEL_VALUE, 41234)
                .withContainer("fedcba9876543210", "running", "run", 45555);
        Path kc = TestKubeconfig.write(tmp.resolve("kubeconfig.yaml"), "https://localhost:41234");

        CliRunner r = with(docker, "cluster", "down", "--out", tmp.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("removed k3s container 0123456789ab");
        assertThat(docker.calls).contains("remove 0123456789abcdef").doesNotContain("remove fedcba9876543210");
        assertThat(kc).doesNotExist();
        CliRunner again = with(docker, "cluster", "down", "--out", tmp.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("no Meshproof k3s cluster to remove");
    }

    @Test
    void statusOfYourOwnClusterOnAClosedPortIsExit3WithoutTheToken() throws IOException {
        int port = TestKubeconfig.closedPort();
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), "https://127.0.0.1:" + port);
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                CliRunner.run("cluster", "status", "--cluster", "kubeconfig", "--kubeconfig", kc.toString()));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("127.0.0.1:" + port).contains("unreachable");
        assertThat(r.out() + r.err()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }

    @Test
    void missingKubeconfigIsExit2NamingThePath() {
        for (String command : new String[]{"doctor", "cluster status"}) {
            String[] args = (command + " --cluster kubeconfig --kubeconfig /missing/kubeconfig").split(" ");
            CliRunner r = CliRunner.run(args);
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).startsWith("error: kubeconfig file not found: /missing/kubeconfig\n");
        }
    }

    @Test
    void kubeconfigModeWithoutKubeconfigIsExit2() {
        CliRunner r = CliRunner.run("doctor", "--cluster", "kubeconfig");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--cluster kubeconfig needs --kubeconfig FILE");
    }

    @Test
    void downDoesNotTouchAKubeconfigElsewhere() throws IOException {
        Path elsewhere = Files.writeString(tmp.resolve("kubeconfig.yaml"), "x");
        CliRunner r = with(FakeDockerEngine.reachable(false), "cluster", "down", "--out", tmp.resolve("other").toString());
        assertThat(r.exitCode()).isZero();
        assertThat(elsewhere).exists();
    }
}
