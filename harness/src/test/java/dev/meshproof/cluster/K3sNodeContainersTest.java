package dev.meshproof.cluster;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.HostConfig;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The server and agent containers as Testcontainers will create them; nothing is started, no Docker engine is needed. */
class K3sNodeContainersTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";
    static final Map<String, String> LABELS = Map.of(K3sClusterProvider.LABEL, "run");
    static final String TOKEN = "K10feed::server:join-secret";

    /** A network that is never created: the containers only keep a reference until they start. */
    static final Network NETWORK = new Network() {
        @Override
        public String getId() {
            throw new AssertionError("nothing is created in this test");
        }

        @Override
        public void close() {
        }
    };

    private final K3sTopology topology = new K3sTopology(2, IMAGE, false, Map.of(K3sRegistries.PATH, K3sRegistries.mirroring("m.example")));

    @Test
    void serverAndAgentRunPrivilegedWithTmpfsAndTheirCommandEnvironmentAndAlias() {
        for (K3sNode node : List.of(topology.server("localhost"), topology.agent(1, TOKEN))) {
            GenericContainer<?> c = K3sNodeContainers.create(node, IMAGE, NETWORK, LABELS, false, Duration.ofMinutes(3));
            assertThat(c.isPrivilegedMode()).as(node.name()).isTrue();
            assertThat(c.getTmpFsMapping()).as(node.name()).isEqualTo(Map.of("/run", "", "/var/run", ""));
            assertThat(c.getImage().toString()).contains("imageName=" + IMAGE); // unresolved: resolving asks Docker
            assertThat(c.getCommandParts()).containsExactlyElementsOf(node.command());
            assertThat(c.getEnvMap()).isEqualTo(node.env());
            assertThat(c.getNetwork()).isSameAs(NETWORK);
            assertThat(c.getNetworkAliases()).contains(node.name());
            assertThat(c.getLabels()).containsEntry(K3sClusterProvider.LABEL, "run").containsEntry(K3sClusterProvider.NODE_LABEL, node.name());
            assertThat(c.isShouldBeReused()).isFalse();
        }
    }

    @Test
    void theServerSharesTheHostCgroupNamespaceAsK3sContainerDoesAndAgentsHaveTheirOwn() {
        GenericContainer<?> server = K3sNodeContainers.create(topology.server("localhost"), IMAGE, NETWORK, LABELS, false, Duration.ofMinutes(3));
        assertThat(cgroupnsMode(server)).isEqualTo("host");
        assertThat(server.getBinds()).singleElement().satisfies(b -> {
            assertThat(b.getPath()).isEqualTo("/sys/fs/cgroup");
            assertThat(b.getVolume().getPath()).isEqualTo("/sys/fs/cgroup");
            assertThat(b.getAccessMode()).isEqualTo(AccessMode.rw);
        });
        // a second kubelet in the host's namespace would manage (and prune) the server's /kubepods
        GenericContainer<?> agent = K3sNodeContainers.create(topology.agent(1, TOKEN), IMAGE, NETWORK, LABELS, false, Duration.ofMinutes(3));
        assertThat(cgroupnsMode(agent)).isEqualTo("private");
        assertThat(agent.getBinds()).isEmpty();
    }

    @Test
    void onlyTheServerPublishesTheApiPortAndWaitsForK3sReadinessLine() {
        GenericContainer<?> server = K3sNodeContainers.create(topology.server("localhost"), IMAGE, NETWORK, LABELS, false, Duration.ofMinutes(3));
        GenericContainer<?> agent = K3sNodeContainers.create(topology.agent(1, TOKEN), IMAGE, NETWORK, LABELS, false, Duration.ofMinutes(3));
        assertThat(server.getExposedPorts()).containsExactly(6443);
        assertThat(server.getLabels()).containsEntry("dev.meshproof.cluster.role", "server");
        assertThat(agent.getExposedPorts()).isEmpty();
        assertThat(agent.getLabels()).containsEntry("dev.meshproof.cluster.role", "agent");
        assertThat(agent.getEnvMap()).containsEntry("K3S_URL", "https://meshproof-server:6443").doesNotContainValue(TOKEN);
    }

    @Test
    void aSingleNodeHasNoNetworkAndAClusterThatOutlivesTheProcessAsksForReuse() {
        GenericContainer<?> alone = K3sNodeContainers.create(new K3sTopology(1, IMAGE, false, Map.of()).server("localhost"), IMAGE, null,
                LABELS, true, Duration.ofMinutes(3));
        assertThat(alone.getNetwork()).isNull();
        assertThat(alone.isShouldBeReused()).isTrue();
    }

    @Test
    void everyNodeGetsTheMirrorAndTheAgentItsTokenReadableByRootOnly() {
        Map<String, Transferable> server = K3sNodeContainers.copies(topology.server("localhost"));
        Map<String, Transferable> agent = K3sNodeContainers.copies(topology.agent(1, TOKEN));
        assertThat(server).containsOnlyKeys(K3sRegistries.PATH);
        assertThat(agent).containsOnlyKeys(K3sRegistries.PATH, K3sTopology.AGENT_TOKEN_FILE);
        assertThat(new String(agent.get(K3sRegistries.PATH).getBytes(), StandardCharsets.UTF_8)).isEqualTo(K3sRegistries.mirroring("m.example"));
        assertThat(agent.get(K3sRegistries.PATH).getFileMode()).isEqualTo(0644);
        assertThat(new String(agent.get(K3sTopology.AGENT_TOKEN_FILE).getBytes(), StandardCharsets.UTF_8)).isEqualTo(TOKEN + "\n");
        assertThat(agent.get(K3sTopology.AGENT_TOKEN_FILE).getFileMode()).isEqualTo(0600);
    }

    /** Applies the container's create-command modifiers to a stand-in command and reads the host config they set. */
    private static String cgroupnsMode(GenericContainer<?> c) {
        HostConfig hostConfig = HostConfig.newHostConfig();
        CreateContainerCmd cmd = (CreateContainerCmd) Proxy.newProxyInstance(K3sNodeContainersTest.class.getClassLoader(),
                new Class<?>[]{CreateContainerCmd.class}, (proxy, method, args) -> method.getName().equals("getHostConfig") ? hostConfig : null);
        c.getCreateContainerCmdModifiers().forEach(m -> m.modify(cmd));
        return hostConfig.getCgroupnsMode();
    }
}
