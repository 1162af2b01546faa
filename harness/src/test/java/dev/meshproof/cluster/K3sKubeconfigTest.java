package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's k3s.yaml pointed at the published API port, as K3sContainer 2.0.5 did it. */
class K3sKubeconfigTest {
    /** The shape k3s writes to /etc/rancher/k3s/k3s.yaml (credentials replaced by markers). */
    static final String K3S_YAML = """
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: Q0EtTUFSS0VS
                server: https://127.0.0.1:6443
              name: default
            contexts:
            - context:
                cluster: default
                user: default
              name: default
            current-context: default
            kind: Config
            preferences: {}
            users:
            - name: default
              user:
                client-certificate-data: Q0VSVC1NQVJLRVI=
                client-key-data: S0VZLU1BUktFUg==
            """;

    @Test
    void theServerIsThePublishedPortAndTheCredentialsStay() {
        String yaml = K3sKubeconfig.pointedAt(K3S_YAML, "https://localhost:41234");
        Config config = Config.fromKubeconfig(yaml);
        assertThat(config.getMasterUrl()).isEqualTo("https://localhost:41234/");
        assertThat(config.getCurrentContext().getName()).isEqualTo("default");
        assertThat(config.getClientKeyData()).isEqualTo("S0VZLU1BUktFUg==");
        assertThat(config.getCaCertData()).isEqualTo("Q0EtTUFSS0VS");
    }

    @Test
    void somethingElseIsExit3WithoutQuotingIt() {
        assertThatThrownBy(() -> K3sKubeconfig.pointedAt("client-key-data: S0VZ\n: [", "https://x:1"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
                    assertThat(e.getMessage()).isEqualTo("the k3s server's /etc/rancher/k3s/k3s.yaml is not a kubeconfig").doesNotContain("S0VZ");
                });
        assertThatThrownBy(() -> K3sKubeconfig.pointedAt("kind: Config\nclusters: []\n", "https://x:1"))
                .hasMessage("the k3s server's /etc/rancher/k3s/k3s.yaml names no cluster");
    }
}
