package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --registry-mirror: the registries.yaml k3s reads at start, put into the node before it starts. */
class K3sRegistriesTest {

    @Test
    void dockerHubIsMirroredThroughTheHostOverHttpsUnlessTheUrlSaysHttp() {
        assertThat(K3sRegistries.mirroring("mirror.example.com:5000")).isEqualTo("""
                # written by Meshproof for --registry-mirror
                mirrors:
                  docker.io:
                    endpoint:
                      - "https://mirror.example.com:5000"
                """);
        assertThat(K3sRegistries.mirroring("http://10.0.0.5:5000")).contains("- \"http://10.0.0.5:5000\"");
    }

    @Test
    void anythingElseIsExit2BeforeAnythingStarts() {
        for (String bad : new String[]{"", "ftp://x", "a b", "mirror\"x", "https://"}) {
            assertThatThrownBy(() -> K3sRegistries.mirroring(bad)).as(bad).isInstanceOfSatisfying(MeshproofException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).isEqualTo("--registry-mirror '" + bad + "' is not a registry host or http(s) URL");
            });
        }
    }

    @Test
    void theProviderPutsTheFileWhereK3sReadsItOnlyWhenAsked() {
        K3sClusterProvider provider = new K3sClusterProvider("rancher/k3s:v1.34.6-k3s1", FakeDockerEngine.unreachable(), Duration.ofSeconds(1),
                K3sClusterProvider.Lifetime.RUN, "test");
        assertThat(provider.nodeFiles()).isEmpty();
        assertThat(provider.registryMirror("mirror.example.com").nodeFiles())
                .isEqualTo(Map.of("/etc/rancher/k3s/registries.yaml", K3sRegistries.mirroring("mirror.example.com")));
        assertThat(ClusterProviders.create(new ClusterOptions(ClusterOptions.K3S, null, null, null, Duration.ofSeconds(1), false, "m.example"),
                FakeDockerEngine.unreachable())).isInstanceOfSatisfying(K3sClusterProvider.class,
                p -> assertThat(p.nodeFiles()).containsKey("/etc/rancher/k3s/registries.yaml"));
    }
}
