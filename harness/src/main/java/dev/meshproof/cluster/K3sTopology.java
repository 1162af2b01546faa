package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a k3s cluster Meshproof starts ({@code --nodes N}): one server and N−1 agents, every one a privileged
 * container of the same k3s image on one Docker network. Agents join the way k3s documents it: {@code k3s agent} with
 * {@code K3S_URL=https://<server>:6443} and the server's token (docs.k3s.io/cli/agent, "Cluster Options"); the token
 * is the one the server generated and wrote to {@link #SERVER_TOKEN} (docs.k3s.io/cli/token, "Server"), handed to the
 * agent as a file ({@code K3S_TOKEN_FILE}) so that it shows neither in {@code docker inspect} nor in a process list.
 * Every node gets the same node files ({@code registries.yaml} for {@code --registry-mirror}): each k3s generates its
 * own containerd configuration, and agents pull images too.
 */
public final class K3sTopology {
    /** More nodes than a workstation holds are more likely a typo than a plan (each node is ~0.5–1 GB with Istio). */
    public static final int MAX_NODES = 10;
    /** The server's node name and its alias on the cluster's network. */
    public static final String SERVER_NAME = "meshproof-server";
    static final String AGENT_PREFIX = "meshproof-agent-";
    /** The k3s supervisor and API server port (K3sContainer.KUBE_SECURE_PORT). */
    public static final int API_PORT = 6443;
    /** Where the server writes its token in the secure format agents join with (docs.k3s.io/cli/token). */
    static final String SERVER_TOKEN = "/var/lib/rancher/k3s/server/token";
    /** Where an agent finds the token ({@code K3S_TOKEN_FILE}). */
    static final String AGENT_TOKEN_FILE = "/etc/rancher/k3s/meshproof-join-token";

    private final int nodes;
    private final String image;
    private final boolean cgroupV1;
    private final Map<String, K3sNode.NodeFile> nodeFiles;

    /**
     * @param nodes     how many nodes, server included ({@link #requireNodes})
     * @param cgroupV1  the Docker host runs cgroup v1 (every kubelet then needs {@code fail-cgroupv1=false})
     * @param nodeFiles files every node gets before k3s starts, by path (content, mode 0644)
     */
    public K3sTopology(int nodes, String image, boolean cgroupV1, Map<String, String> nodeFiles) {
        this.nodes = requireNodes(nodes);
        this.image = image;
        this.cgroupV1 = cgroupV1;
        Map<String, K3sNode.NodeFile> files = new LinkedHashMap<>();
        nodeFiles.forEach((path, content) -> files.put(path, new K3sNode.NodeFile(content, 0644)));
        this.nodeFiles = Map.copyOf(files);
    }

    /** {@code n} when it is a node count Meshproof starts; otherwise exit 2 with one line. */
    public static int requireNodes(int n) {
        if (n < 1 || n > MAX_NODES) {
            throw MeshproofException.usage("--nodes must be between 1 and " + MAX_NODES + ", not " + n,
                    "--nodes 1 is a single k3s server; --nodes 2 adds an agent, which cross-node placement needs");
        }
        return n;
    }

    public int nodes() {
        return nodes;
    }

    /** More than one node: the nodes need a network of their own to find the server by name. */
    public boolean needsNetwork() {
        return nodes > 1;
    }

    /** Every node's name, server first: what the readiness wait expects in the API. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>(List.of(SERVER_NAME));
        for (int i = 1; i < nodes; i++) {
            names.add(agentName(i));
        }
        return List.copyOf(names);
    }

    static String agentName(int index) {
        return AGENT_PREFIX + index;
    }

    /**
     * @param apiHost the host clients reach the API server on (the Docker host as Testcontainers sees it); with agents
     *                the server's network alias is a certificate name too, since that is the address agents join
     */
    public K3sNode server(String apiHost) {
        List<String> sans = needsNetwork() ? List.of(apiHost, SERVER_NAME) : List.of(apiHost);
        return new K3sNode(K3sNode.Role.SERVER, SERVER_NAME, K3sCommand.serverArgs(SERVER_NAME, sans, cgroupV1, image), Map.of(), nodeFiles);
    }

    /**
     * @param index 1 … N−1
     * @param token the server's token, as read from {@link #SERVER_TOKEN}
     */
    public K3sNode agent(int index, String token) {
        if (index < 1 || index >= nodes) {
            throw new IllegalArgumentException("agent " + index + " of a " + nodes + "-node cluster");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("an agent needs the server's token");
        }
        Map<String, K3sNode.NodeFile> files = new LinkedHashMap<>(nodeFiles);
        files.put(AGENT_TOKEN_FILE, new K3sNode.NodeFile(token.strip() + "\n", 0600));
        Map<String, String> env = Map.of(
                "K3S_URL", "https://" + SERVER_NAME + ":" + API_PORT,
                "K3S_TOKEN_FILE", AGENT_TOKEN_FILE);
        return new K3sNode(K3sNode.Role.AGENT, agentName(index), K3sCommand.agentArgs(agentName(index), cgroupV1, image), env, files);
    }
}
