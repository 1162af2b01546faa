package dev.meshproof.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class K3sCommandTest {

    @Test
    void keepsK3sContainerDefaultsBecauseWithCommandReplacesThemAndNamesTheNode() {
        assertThat(K3sCommand.serverArgs("meshproof-server", List.of("localhost"), false, "rancher/k3s:v1.35.1-k3s1"))
                .containsExactly("server", "--disable=traefik", "--tls-san=localhost", "--node-name=meshproof-server");
    }

    @Test
    void cgroupV1HostGetsTheKubeletOverrideOnServersAndAgents() {
        assertThat(K3sCommand.serverArgs("s", List.of("10.0.0.5", "s"), true, "rancher/k3s:v1.34.6-k3s1"))
                .containsExactly("server", "--disable=traefik", "--tls-san=10.0.0.5", "--tls-san=s", "--node-name=s",
                        "--kubelet-arg=fail-cgroupv1=false");
        assertThat(K3sCommand.agentArgs("a-1", true, "rancher/k3s:v1.34.6-k3s1"))
                .containsExactly("agent", "--node-name=a-1", "--kubelet-arg=fail-cgroupv1=false");
        assertThat(K3sCommand.agentArgs("a-1", false, "rancher/k3s:v1.34.6-k3s1")).containsExactly("agent", "--node-name=a-1");
    }

    @Test
    void kubeletsOlderThan131DoNotGetAFlagTheyWouldRejectAndUnknownTagsCountAsNew() {
        assertThat(K3sCommand.serverArgs("s", List.of("localhost"), true, "rancher/k3s:v1.30.11-k3s1")).doesNotContain("--kubelet-arg=fail-cgroupv1=false");
        assertThat(K3sCommand.agentArgs("a", true, "rancher/k3s:v1.30.11-k3s1")).doesNotContain("--kubelet-arg=fail-cgroupv1=false");
        assertThat(K3sCommand.kubeletKnowsFailCgroupV1("rancher/k3s:v1.31.0-k3s1")).isTrue();
        assertThat(K3sCommand.kubeletKnowsFailCgroupV1("registry.example:5000/k3s:latest")).isTrue();
    }
}
