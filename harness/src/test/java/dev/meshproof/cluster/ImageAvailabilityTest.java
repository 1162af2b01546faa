package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageAvailabilityTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";

    @Test
    void localImageIsUsedWithoutPulling() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).withImage(IMAGE).pullFails("must not pull");
        assertThat(new ImageAvailability(docker, Duration.ofSeconds(5)).ensure(IMAGE)).isEqualTo("present locally");
        assertThat(docker.calls).containsExactly("hasImage " + IMAGE);
    }

    @Test
    void missingImageIsPulledWithTheConfiguredBound() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false);
        assertThat(new ImageAvailability(docker, Duration.ofSeconds(7)).ensure(IMAGE)).startsWith("pulled in ");
        assertThat(docker.calls).containsExactly("hasImage " + IMAGE, "pull " + IMAGE + " 7s");
    }

    @Test
    void failedPullIsOneEnvironmentLineWithoutHint() {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false).pullFails("no answer from the registry within 7s");
        assertThat(new ImageAvailability(docker, Duration.ofSeconds(7)).check(IMAGE))
                .isEqualTo(new ImageAvailability.Result(false, "cannot pull " + IMAGE + " (no answer from the registry within 7s)"));
        assertThatThrownBy(() -> new ImageAvailability(docker, Duration.ofSeconds(7)).ensure(IMAGE))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).doesNotContain("\n").contains(IMAGE).contains("docker load");
                    assertThat(e.hint()).isNull();
                });
    }
}
