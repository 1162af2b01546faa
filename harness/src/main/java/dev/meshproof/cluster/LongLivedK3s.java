package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The k3s kept running between iterations ({@code meshproof cluster up|down|status}).
 * <p>
 * {@code up} starts k3s with Testcontainers reuse ({@code withReuse(true)}): each node container is labelled with a
 * hash of its create command, survives the JVM, and the next {@code up} with the same image and nodes finds and
 * reattaches to it instead of starting another. With {@code --nodes N > 1} the nodes share a network named after the
 * label value, found again by name. {@code status} and {@code down} find containers and network by Meshproof's own
 * label ({@link K3sClusterProvider#LABEL}{@code =long-lived}), so they need no Testcontainers state.
 */
public final class LongLivedK3s {
    public static final String LABEL_VALUE = "long-lived";

    private final DockerEngine docker;
    private final String labelValue;

    public LongLivedK3s(DockerEngine docker) {
        this(docker, LABEL_VALUE);
    }

    /** @param labelValue tests use their own value so they never see or remove a user's cluster */
    public LongLivedK3s(DockerEngine docker, String labelValue) {
        this.docker = docker;
        this.labelValue = labelValue;
    }

    /** Starts it, or reattaches to the running one; the kubeconfig goes to {@code dir}. */
    public Cluster up(String image, Duration pullTimeout, RunDirectory dir, Scope scope) {
        return up(image, pullTimeout, null, 1, dir, scope);
    }

    /**
     * @param registryMirror {@code --registry-mirror} (null: none); part of the reuse hash, so another mirror starts another k3s
     * @param nodes          {@code --nodes}; a running cluster with other nodes is exit 2 (reattaching would mix the two)
     */
    public Cluster up(String image, Duration pullTimeout, String registryMirror, int nodes, RunDirectory dir, Scope scope) {
        K3sClusterProvider provider = new K3sClusterProvider(image, docker, pullTimeout, K3sClusterProvider.Lifetime.LONG_LIVED, labelValue)
                .registryMirror(registryMirror).nodes(nodes);
        requireNoOther(image, registryMirror, provider.topology(false).nodeNames());
        return provider.provision(dir, scope);
    }

    /**
     * Exit 2 when long-lived k3s containers exist that this {@code up} would not reattach to (another image, mirror
     * or set of nodes, or stopped): a second set would start beside them, and on one network two servers would answer
     * to the same name.
     */
    private void requireNoOther(String image, String registryMirror, List<String> planned) {
        List<DockerEngine.ContainerSummary> existing = find();
        if (existing.isEmpty()) {
            return;
        }
        List<String> nodes = existing.stream().map(c -> Objects.requireNonNullElse(c.labels().get(K3sClusterProvider.NODE_LABEL), "(unnamed)"))
                .sorted().toList();
        String difference = !nodes.equals(planned.stream().sorted().toList()) ? "nodes " + String.join(", ", nodes)
                : existing.stream().anyMatch(c -> !image.equals(c.image())) ? "another image"
                : existing.stream().anyMatch(c -> !Objects.equals(registryMirror, c.labels().get(K3sNodeContainers.MIRROR_LABEL))) ? "another registry mirror"
                : existing.stream().anyMatch(c -> !"running".equals(c.state())) ? "a stopped container"
                : null;
        if (difference != null) {
            throw MeshproofException.usage("a 'cluster up' k3s with " + difference + " exists; this one would start beside it",
                    "remove it first with: meshproof cluster down");
        }
    }

    /** The long-lived k3s containers, running or stopped (exit 3 when Docker is not there). */
    public List<DockerEngine.ContainerSummary> find() {
        K3sClusterProvider.requireDocker(docker);
        return docker.containersLabelled(K3sClusterProvider.LABEL, labelValue);
    }

    /** Removes every long-lived k3s container, then their network; returns the containers removed. */
    public List<DockerEngine.ContainerSummary> down() {
        List<DockerEngine.ContainerSummary> found = find();
        found.forEach(c -> docker.remove(c.id()));
        Map<String, String> networks = docker.networksLabelled(K3sClusterProvider.LABEL, labelValue);
        networks.keySet().forEach(docker::removeNetwork);
        return found;
    }
}
