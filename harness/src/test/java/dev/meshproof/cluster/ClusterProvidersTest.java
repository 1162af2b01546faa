package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterProvidersTest {
    final FakeDockerEngine docker = FakeDockerEngine.unreachable();

    @Test
    void k3sIsTheDefaultWithThePinnedImage() {
        ClusterProvider p = ClusterProviders.create(new ClusterOptions(null, null, null, null), docker);
        assertThat(p).isInstanceOf(K3sClusterProvider.class);
        assertThat(((K3sClusterProvider) p).image()).isEqualTo(Versions.defaults().k3s().image());
    }

    @Test
    void k3sImageCanBeOverridden() {
        ClusterProvider p = ClusterProviders.create(new ClusterOptions("k3s", null, null, "rancher/k3s:v1.33.5-k3s1"), docker);
        assertThat(((K3sClusterProvider) p).image()).isEqualTo("rancher/k3s:v1.33.5-k3s1");
    }

    @Test
    void kubeconfigKindUsesTheUsersCluster() {
        assertThat(ClusterProviders.create(new ClusterOptions("kubeconfig", Path.of("/k"), null, null), docker).name()).isEqualTo("kubeconfig");
    }

    @Test
    void unknownKindIsUsageError() {
        assertThatThrownBy(() -> ClusterProviders.create(new ClusterOptions("kind", null, null, null), docker))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("unknown cluster kind 'kind'");
                });
    }
}
