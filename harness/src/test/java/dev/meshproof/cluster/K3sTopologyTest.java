package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --nodes N: what each node container runs and how agents join, decided before any container exists. */
class K3sTopologyTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";
    static final String TOKEN = "K10abcdef0123456789::server:s3cr3t-join-password";
    static final String MIRROR = K3sRegistries.mirroring("mirror.example.com:5000");

    @Test
    void oneNodeIsTheServerAloneWithoutANetwork() {
        K3sTopology one = new K3sTopology(1, IMAGE, false, Map.of());
        assertThat(one.needsNetwork()).isFalse();
        assertThat(one.nodeNames()).containsExactly("meshproof-server");
        K3sNode server = one.server("localhost");
        assertThat(server.role()).isEqualTo(K3sNode.Role.SERVER);
        assertThat(server.command()).containsExactly("server", "--disable=traefik", "--tls-san=localhost", "--node-name=meshproof-server");
        assertThat(server.env()).isEmpty();
        assertThat(server.files()).isEmpty();
        assertThatThrownBy(() -> one.agent(1, TOKEN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agentsJoinTheServerByItsNetworkAliasWithTheTokenInAPrivateFile() {
        K3sTopology three = new K3sTopology(3, IMAGE, false, Map.of(K3sRegistries.PATH, MIRROR));
        assertThat(three.needsNetwork()).isTrue();
        assertThat(three.nodeNames()).containsExactly("meshproof-server", "meshproof-agent-1", "meshproof-agent-2");

        K3sNode server = three.server("10.1.2.3");
        // the alias is a certificate name too: agents reach the supervisor at https://meshproof-server:6443
        assertThat(server.command()).containsExactly("server", "--disable=traefik", "--tls-san=10.1.2.3", "--tls-san=meshproof-server",
                "--node-name=meshproof-server");
        assertThat(server.files()).containsOnlyKeys(K3sRegistries.PATH);

        K3sNode agent = three.agent(2, TOKEN + "\n");
        assertThat(agent.role()).isEqualTo(K3sNode.Role.AGENT);
        assertThat(agent.name()).isEqualTo("meshproof-agent-2");
        assertThat(agent.command()).containsExactly("agent", "--node-name=meshproof-agent-2");
        assertThat(agent.env()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "K3S_URL", "https://meshproof-server:6443",
                "K3S_TOKEN_FILE", "/etc/rancher/k3s/meshproof-join-token"));
        assertThat(agent.env().values()).noneMatch(v -> v.contains("s3cr3t"));
        assertThat(agent.command()).noneMatch(a -> a.contains("s3cr3t"));
        assertThat(agent.files().get("/etc/rancher/k3s/meshproof-join-token")).isEqualTo(new K3sNode.NodeFile(TOKEN + "\n", 0600));
        // every node pulls images, so every node gets the mirror
        assertThat(agent.files().get(K3sRegistries.PATH)).isEqualTo(new K3sNode.NodeFile(MIRROR, 0644));
        assertThat(agent.toString()).doesNotContain("s3cr3t").contains("mode 600");
    }

    @Test
    void aCgroupV1HostGivesEveryKubeletTheOverride() {
        K3sTopology two = new K3sTopology(2, IMAGE, true, Map.of());
        assertThat(two.server("localhost").command()).contains("--kubelet-arg=fail-cgroupv1=false");
        assertThat(two.agent(1, TOKEN).command()).contains("--kubelet-arg=fail-cgroupv1=false");
    }

    @Test
    void nodeCountsOutsideOneToTenAreExit2WithOneLine() {
        for (int bad : new int[]{0, -1, 11}) {
            assertThatThrownBy(() -> new K3sTopology(bad, IMAGE, false, Map.of())).isInstanceOfSatisfying(MeshproofException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).isEqualTo("--nodes must be between 1 and 10, not " + bad);
            });
        }
        assertThat(K3sTopology.requireNodes(10)).isEqualTo(10);
    }

    @Test
    void anAgentWithoutTheTokenIsAProgrammingError() {
        K3sTopology two = new K3sTopology(2, IMAGE, false, Map.of());
        assertThatThrownBy(() -> two.agent(1, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> two.agent(2, TOKEN)).isInstanceOf(IllegalArgumentException.class);
    }
}
