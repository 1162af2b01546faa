package dev.meshproof.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class K3sCommandTest {

    @Test
    void keepsK3sContainerDefaultsBecauseWithCommandReplacesThem() {
        assertThat(K3sCommand.serverArgs("localhost", false, "rancher/k3s:v1.35.1-k3s1"))
                .containsExactly("server", "--disable=traefik", "--tls-san=localhost");
    }

    @Test
    void cgroupV1HostGetsTheKubeletOverride() {
        assertThat(K3sCommand.serverArgs("10.0.0.5", true, "rancher/k3s:v1.34.6-k3s1"))
                .containsExactly("server", "--disable=traefik", "--tls-san=10.0.0.5", "--kubelet-arg=fail-cgroupv1=false");
    }

    @Test
    void kubeletsOlderThan131DoNotGetAFlagTheyWouldRejectAndUnknownTagsCountAsNew() {
        assertThat(K3sCommand.serverArgs("localhost", true, "rancher/k3s:v1.30.11-k3s1")).doesNotContain("--kubelet-arg=fail-cgroupv1=false");
        assertThat(K3sCommand.kubeletKnowsFailCgroupV1("rancher/k3s:v1.31.0-k3s1")).isTrue();
        assertThat(K3sCommand.kubeletKnowsFailCgroupV1("registry.example:5000/k3s:latest")).isTrue();
    }
}
