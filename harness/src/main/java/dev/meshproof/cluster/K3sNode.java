package dev.meshproof.cluster;

import java.util.List;
import java.util.Map;

/**
 * What one k3s node container runs, before any container exists: its role, its node name (also its alias on the
 * cluster's Docker network), the k3s command line, the environment and the files put into it before k3s starts.
 * {@link K3sTopology} decides it; {@link K3sNodeContainers} turns it into a Testcontainers container.
 *
 * @param files by path in the node; their content (the join token) never appears in {@link #toString()}
 */
public record K3sNode(Role role, String name, List<String> command, Map<String, String> env, Map<String, NodeFile> files) {

    public K3sNode {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        files = Map.copyOf(files);
    }

    /** A k3s server (API server, datastore, and a kubelet: it runs workloads too) or an agent (kubelet only). */
    public enum Role {
        SERVER, AGENT;

        /** The value of the node's role label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A file written into the node before k3s starts, with its Unix mode. */
    public record NodeFile(String content, int mode) {
        @Override
        public String toString() {
            return "NodeFile[" + content.length() + " characters, mode " + Integer.toOctalString(mode) + "]";
        }
    }
}
