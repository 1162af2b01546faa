package dev.meshproof.cluster;

import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Testcontainers container of a {@link K3sNode}: privileged, tmpfs on {@code /run} and {@code /var/run}, as both
 * testcontainers-k3s 2.0.5 (testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java)
 * and k3s's own compose file (k3s-io/k3s:docker-compose.yml) run k3s. They differ in the cgroup namespace, and so do
 * the roles here:
 * <ul>
 *   <li>the <b>server</b> runs as the single node always ran, as K3sContainer does: the host's cgroup namespace with
 *       {@code /sys/fs/cgroup} bound read-write, so its kubelet keeps its pods under the host's {@code /kubepods};</li>
 *   <li>an <b>agent</b> runs as k3s's compose file runs agents: a private cgroup namespace (Docker's default on cgroup
 *       v2) and no cgroup bind. A second kubelet in the host's namespace would manage the same {@code /kubepods} tree,
 *       and each kubelet removes the pod cgroups it does not know — the other node's pods (NVIDIA/NemoClaw#431: two
 *       kubelets in the host cgroup namespace kill each other's pods; siderolabs/talos#6071). In its own namespace an
 *       agent's {@code /kubepods} is its own. This needs cgroup v2 ({@link K3sClusterProvider} refuses agents on v1).</li>
 * </ul>
 * The server publishes the API port and counts as started when k3s logs K3sContainer's readiness line; an agent has no
 * port to publish and no line of its own to wait for, so its readiness is the API's: the node Ready
 * ({@link ClusterReadiness}). Creating one needs no Docker engine; starting it does.
 */
final class K3sNodeContainers {
    /** server or agent. */
    static final String ROLE_LABEL = K3sClusterProvider.LABEL + ".role";
    /** {@code --registry-mirror} of a cluster that has one: {@code cluster up} compares it before reattaching. */
    static final String MIRROR_LABEL = K3sClusterProvider.LABEL + ".registry-mirror";
    /** K3sContainer's wait strategy. */
    static final String SERVER_STARTED_LOG = ".*Node controller sync successful.*";
    static final Map<String, String> TMPFS = Map.of("/run", "", "/var/run", "");
    static final String CGROUP_FS = "/sys/fs/cgroup";

    private K3sNodeContainers() {
    }

    /**
     * @param network null for a single node (it needs no one to find it)
     * @param labels  Meshproof's labels for the cluster's lifetime; the node's name and role are added
     * @param reuse   Testcontainers reuse (a cluster that outlives the JVM; the caller has checked it is enabled)
     */
    static GenericContainer<?> create(K3sNode node, String image, Network network, Map<String, String> labels, boolean reuse,
                                      Duration startTimeout) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image));
        boolean server = node.role() == K3sNode.Role.SERVER;
        c.withPrivilegedMode(true)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode(server ? "host" : "private"))
                .withTmpFs(TMPFS)
                .withCommand(node.command().toArray(String[]::new))
                .withEnv(node.env())
                .withStartupTimeout(startTimeout);
        if (server) {
            c.withFileSystemBind(CGROUP_FS, CGROUP_FS, BindMode.READ_WRITE)
                    .withExposedPorts(K3sTopology.API_PORT).waitingFor(Wait.forLogMessage(SERVER_STARTED_LOG, 1));
        }
        if (network != null) {
            c.withNetwork(network).withNetworkAliases(node.name());
        }
        copies(node).forEach((path, file) -> c.withCopyToContainer(file, path));
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(K3sClusterProvider.NODE_LABEL, node.name());
        all.put(ROLE_LABEL, node.role().label());
        c.withLabels(all);
        return c.withReuse(reuse);
    }

    /** The node's files as Testcontainers copies them in before the container starts, by path, with their modes. */
    static Map<String, Transferable> copies(K3sNode node) {
        Map<String, Transferable> copies = new LinkedHashMap<>();
        node.files().forEach((path, file) -> copies.put(path, Transferable.of(file.content(), file.mode())));
        return copies;
    }
}
