package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.FakeDockerEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DockerChecksTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";

    @Test
    void reachableEngineIsOk() {
        CheckResult r = new DockerReachableCheck(FakeDockerEngine.reachable(false)).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(r.detail()).isEqualTo("Docker 99.0 (API 1.99, cgroup 2)");
    }

    @Test
    void cgroupV1EngineWarns() {
        assertThat(new DockerReachableCheck(FakeDockerEngine.reachable(true)).run().status()).isEqualTo(CheckResult.Status.WARN);
    }

    @Test
    void noEngineFailsSayingWhatWasTried() {
        CheckResult r = new DockerReachableCheck(FakeDockerEngine.unreachable()).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).isEqualTo("no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock missing)");
        assertThat(r.hint()).contains("--cluster kubeconfig");
    }

    @Test
    void imagePresentOrPullableIsOk() {
        assertThat(new ImagePullCheck(FakeDockerEngine.reachable(false).withImage(IMAGE), IMAGE, Duration.ofSeconds(5)).run().detail())
                .isEqualTo("present locally");
        assertThat(new ImagePullCheck(FakeDockerEngine.reachable(false), IMAGE, Duration.ofSeconds(5)).run().status())
                .isEqualTo(CheckResult.Status.OK);
    }

    @Test
    void unpullableImageFailsWithReasonAndWhatToDo() {
        CheckResult r = new ImagePullCheck(FakeDockerEngine.reachable(false).pullFails("no answer from the registry within 5s"),
                IMAGE, Duration.ofSeconds(5)).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).isEqualTo("cannot pull " + IMAGE + " (no answer from the registry within 5s)");
        assertThat(r.hint()).contains("docker load");
    }

    @Test
    void privilegedContainersAllowedIsOk() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).withImage(IMAGE);
        assertThat(new PrivilegedContainerCheck(docker, IMAGE, Duration.ofSeconds(5)).run().status()).isEqualTo(CheckResult.Status.OK);
        assertThat(docker.calls).containsExactly("tryPrivileged " + IMAGE);
    }

    @Test
    void refusedPrivilegedContainerFailsWithTheEnginesReason() {
        CheckResult r = new PrivilegedContainerCheck(FakeDockerEngine.reachable(false)
                .refusesPrivileged("unable to apply caps: operation not permitted"), IMAGE, Duration.ofSeconds(5)).run();
        assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(r.detail()).isEqualTo("the engine refused a privileged container: unable to apply caps: operation not permitted");
        assertThat(r.hint()).contains("--cluster kubeconfig");
    }
}
