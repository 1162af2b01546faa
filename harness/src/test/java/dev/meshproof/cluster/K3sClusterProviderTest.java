package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

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
        ContainerShell node = new ContainerShell() {
            @Override
            public Result exec(String... command) {
                assertThat(command).containsExactly("cat", ContainerdConfig.PATH);
                return new Result(0, "[plugins.\"io.containerd.grpc.v1.cri\".cni]\n  bin_dir = \"/var/lib/rancher/k3s/data/cni\"\n", "");
            }

            @Override
            public void copyIn(Path hostFile, String containerPath) {
            }
        };
        assertThat(K3sClusterProvider.readCniBinDir(node)).contains("/var/lib/rancher/k3s/data/cni");
    }

    @Test
    void unreadableContainerdConfigGivesNoCniBinDir() {
        ContainerShell node = new ContainerShell() {
            @Override
            public Result exec(String... command) {
                return new Result(1, "", "cat: can't open: No such file or directory");
            }

            @Override
            public void copyIn(Path hostFile, String containerPath) {
            }
        };
        assertThat(K3sClusterProvider.readCniBinDir(node)).isEmpty();
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
