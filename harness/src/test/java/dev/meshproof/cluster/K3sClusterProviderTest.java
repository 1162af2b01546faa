package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The k3s provider's fail-fast paths, played with a scripted Docker engine (the live path is K3sClusterE2ETest). */
class K3sClusterProviderTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";
    @TempDir
    Path tmp;

    K3sClusterProvider provider(DockerEngine docker) {
        return new K3sClusterProvider(IMAGE, docker, Duration.ofSeconds(60), K3sClusterProvider.Lifetime.RUN, "test");
    }

    @Test
    void noDockerIsExit3WithOneLineAndNoPullAttempt() {
        FakeDockerEngine docker = FakeDockerEngine.unreachable();
        try (Scope scope = new Scope("t")) {
            MeshproofException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchIt(() ->
                    provider(docker).provision(RunDirectory.at(tmp), scope)));
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo(
                    "no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock missing): start Docker or use --cluster kubeconfig");
            assertThat(e.hint()).isNull();
            assertThat(scope.pending()).isZero();
        }
        assertThat(docker.calls).containsExactly("probe");
    }

    @Test
    void imageThatCannotBePulledIsExit3NamingImageAndWhatToDo() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).pullFails("Get \"https://registry-1.docker.io/v2/\": no such host");
        try (Scope scope = new Scope("t")) {
            MeshproofException e = catchIt(() -> provider(docker).provision(RunDirectory.at(tmp), scope));
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("cannot pull " + IMAGE + " (Get \"https://registry-1.docker.io/v2/\": no such host): "
                    + "preload it with `docker load`, configure a registry mirror, or use --cluster kubeconfig");
            assertThat(scope.pending()).isZero();
        }
        assertThat(docker.calls).containsExactly("probe", "hasImage " + IMAGE, "pull " + IMAGE + " 60s");
    }

    @Test
    void cniBinDirIsReadFromTheNodesContainerdConfig() {
        ContainerShell node = answering(command -> {
            assertThat(command).containsExactly("cat", ContainerdConfig.PATH);
            return new ContainerShell.Result(0, "[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"/var/lib/rancher/k3s/data/cni\"\n", "");
        });
        assertThat(K3sClusterProvider.readCniBinDir(node)).contains("/var/lib/rancher/k3s/data/cni");
    }

    @Test
    void unreadableContainerdConfigGivesNoCniBinDir() {
        ContainerShell node = answering(command -> new ContainerShell.Result(1, "", "cat: can't open: No such file or directory"));
        assertThat(K3sClusterProvider.readCniBinDir(node)).isEmpty();
    }

    @Test
    void agentsGetTheTokenTheServerWroteWhichNoMessageQuotes() {
        String token = "K10cafe::server:never-print-me";
        List<String> answers = new java.util.ArrayList<>(List.of("", token + "\n"));
        ContainerShell server = answering(command -> {
            assertThat(command).containsExactly("cat", "/var/lib/rancher/k3s/server/token");
            return new ContainerShell.Result(0, answers.size() > 1 ? answers.remove(0) : answers.get(0), "");
        });
        assertThat(K3sClusterProvider.readToken(server, Duration.ofSeconds(5))).isEqualTo(token);

        ContainerShell noFile = answering(command ->
                new ContainerShell.Result(1, "", "cat: can't open '/var/lib/rancher/k3s/server/token': No such file or directory\n"));
        MeshproofException e = catchIt(() -> K3sClusterProvider.readToken(noFile, Duration.ofSeconds(1)));
        assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(e.getMessage()).isEqualTo("timed out after 1s waiting for the k3s server's join token in /var/lib/rancher/k3s/server/token: "
                + "cannot read it (cat: can't open '/var/lib/rancher/k3s/server/token': No such file or directory)");
    }

    @Test
    void agentsOnACgroupV1HostAreExit3BeforeAnythingIsPulledOrStarted() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(true);
        try (Scope scope = new Scope("t")) {
            MeshproofException e = catchIt(() -> provider(docker).nodes(2).provision(RunDirectory.at(tmp), scope));
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("--nodes 2 needs a Docker host with cgroup v2; this one runs cgroup v1 (Docker 99.0 (API 1.99, cgroup 1))");
            assertThat(scope.pending()).isZero();
        }
        assertThat(docker.calls).containsExactly("probe");
    }

    @Test
    void nodesOutsideOneToTenAreExit2BeforeDockerIsAsked() {
        FakeDockerEngine docker = FakeDockerEngine.unreachable();
        MeshproofException e = catchIt(() -> provider(docker).nodes(0));
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).isEqualTo("--nodes must be between 1 and 10, not 0");
        assertThat(docker.calls).isEmpty();
        assertThat(((K3sClusterProvider) ClusterProviders.create(new ClusterOptions(ClusterOptions.K3S, null, null, null).withNodes(3), docker))
                .nodes()).isEqualTo(3);
    }

    @Test
    void aKeptRunsContainersCarryItsRunAndTheMirror() {
        K3sClusterProvider kept = new K3sClusterProvider(IMAGE, FakeDockerEngine.unreachable(), Duration.ofSeconds(60),
                K3sClusterProvider.Lifetime.KEPT, "run").registryMirror("m.example");
        assertThat(kept.labels(RunDirectory.at(tmp.resolve("2026-01-01T00-00-00Z")))).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "dev.meshproof.cluster", "run",
                "dev.meshproof.cluster.run", "2026-01-01T00-00-00Z",
                "dev.meshproof.cluster.registry-mirror", "m.example"));
        assertThat(provider(FakeDockerEngine.unreachable()).labels(RunDirectory.at(tmp))).containsOnlyKeys("dev.meshproof.cluster");
        assertThat(K3sClusterProvider.networkName("my run #2")).isEqualTo("meshproof-k3s-my-run--2");
        assertThat(K3sClusterProvider.networkName("long-lived")).isEqualTo("meshproof-k3s-long-lived");
    }

    /** A node whose every command gets {@code answer}'s result; nothing is copied in. */
    static ContainerShell answering(java.util.function.Function<String[], ContainerShell.Result> answer) {
        return new ContainerShell() {
            @Override
            public Result exec(String... command) {
                return answer.apply(command);
            }

            @Override
            public void copyIn(Path hostFile, String containerPath) {
            }
        };
    }

    static MeshproofException catchIt(Runnable r) {
        try {
            r.run();
        } catch (MeshproofException e) {
            return e;
        }
        throw new AssertionError("expected a MeshproofException");
    }
}
