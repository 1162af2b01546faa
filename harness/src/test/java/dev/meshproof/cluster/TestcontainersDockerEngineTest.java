package dev.meshproof.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real engine adapter, on whatever this machine has: with an engine, an absent image on a closed
 * 127.0.0.1 port must fail within the bound (nothing real is pulled, no traffic leaves loopback); without
 * one, the probe must say so within seconds. One of the two groups skips, with its reason.
 */
class TestcontainersDockerEngineTest {
    /** A registry on a closed loopback port: the engine's pull is refused at once. */
    static final String ABSENT = "127.0.0.1:1/meshproof/absent:0";
    static DockerEngine.Status status;

    @BeforeAll
    static void probeOnce() {
        long start = System.nanoTime();
        status = ThisMachinesDocker.status();
        // Bounded either way: the adapter's own deadline is 20 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void withoutEngineTheProbeSaysWhatWasTried() {
        assumeFalse(status.reachable(), "a Docker engine is reachable here: " + status.description());
        assertThat(status.description()).containsAnyOf("DOCKER_HOST", "/var/run/docker.sock");
    }

    @Test
    void withEngineAnAbsentImageIsReportedAbsent() {
        assumeTrue(status.reachable(), "no Docker engine here: " + status.description());
        assertThat(new TestcontainersDockerEngine().hasImage(ABSENT)).isFalse();
    }

    @Test
    void withEngineAnUnpullableImageFailsWithinTheBoundNamingTheRegistry() {
        assumeTrue(status.reachable(), "no Docker engine here: " + status.description());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> new TestcontainersDockerEngine().pull(ABSENT, Duration.ofSeconds(20)))
                        .isInstanceOf(DockerEngine.PullFailed.class)
                        .hasMessageContaining("127.0.0.1:1"));
    }

    @Test
    void withEngineAnUnknownLabelFindsNoContainers() {
        assumeTrue(status.reachable(), "no Docker engine here: " + status.description());
        assertThat(new TestcontainersDockerEngine().containersLabelled(K3sClusterProvider.LABEL, "test-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void withEngineAClusterNetworkIsMadeOnceFoundAgainByNameListedByLabelAndRemoved() {
        assumeTrue(status.reachable(), "no Docker engine here: " + status.description());
        String value = "test-" + UUID.randomUUID();
        String name = K3sClusterProvider.networkName(value);
        DockerEngine docker = new TestcontainersDockerEngine();
        String id = docker.network(name, java.util.Map.of(K3sClusterProvider.LABEL, value));
        try {
            assertThat(docker.network(name, java.util.Map.of(K3sClusterProvider.LABEL, value))).isEqualTo(id); // cluster up again: the same network
            assertThat(docker.networksLabelled(K3sClusterProvider.LABEL, value)).isEqualTo(java.util.Map.of(id, name));
        } finally {
            docker.removeNetwork(id);
        }
        assertThat(docker.networksLabelled(K3sClusterProvider.LABEL, value)).isEmpty();
    }

    @Test
    void engineErrorsAreReducedToTheirMessage() {
        RuntimeException e = new RuntimeException("Status 500: {\"message\":\"Get \\\"https://127.0.0.1:1/v2/\\\": connection refused\"}\n");
        assertThat(TestcontainersDockerEngine.oneLine(e)).isEqualTo("Get \"https://127.0.0.1:1/v2/\": connection refused");
        assertThat(TestcontainersDockerEngine.oneLine(new RuntimeException("first\nsecond"))).isEqualTo("first");
        assertThat(TestcontainersDockerEngine.oneLine(new RuntimeException(new IllegalStateException("root")))).contains("root");
    }
}
