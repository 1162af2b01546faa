package dev.meshproof.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class K3sCommandTest {

    @Test
    void keepsK3sContainerDefaultsBecauseWithCommandReplacesThem() {
        assertThat(K3sCommand.serverArgs("localhost", false))
                .containsExactly("server", "--disable=traefik", "--tls-san=localhost");
    }

    @Test
    void cgroupV1HostGetsTheKubeletOverride() {
        assertThat(K3sCommand.serverArgs("10.0.0.5", true))
                .containsExactly("server", "--disable=traefik", "--tls-san=10.0.0.5", "--kubelet-arg=fail-cgroupv1=false");
    }
}
