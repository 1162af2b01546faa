package dev.meshproof.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.testcontainers.containers.GenericContainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A k3s cluster in Testcontainers containers, as provisioned by {@link K3sClusterProvider}: the server, and the
 * agents of {@code --nodes N}. Images are imported into every node ({@link EveryNodeImporter}).
 */
public final class K3sCluster implements Cluster {
    private final String image;
    private final GenericContainer<?> server;
    private final K3sNodeSet nodes;
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final String cniBinDir;
    private final boolean stopOnClose;
    private final EveryNodeImporter importer;

    K3sCluster(String image, GenericContainer<?> server, K3sNodeSet nodes, KubernetesClient client, Path kubeconfig, String cniBinDir,
               boolean stopOnClose) {
        this.image = image;
        this.server = server;
        this.nodes = nodes;
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.cniBinDir = cniBinDir;
        this.stopOnClose = stopOnClose;
        Map<String, ContainerShell> shells = new LinkedHashMap<>();
        nodes.members().forEach(m -> shells.put(m.name(), new K3sShell((GenericContainer<?>) m.container())));
        this.importer = new EveryNodeImporter(shells);
    }

    @Override
    public String description() {
        int count = nodes.members().size();
        return "k3s " + image + " (" + (count > 1 ? count + " nodes, server " : "") + "container " + containerId()
                + ", API https://" + server.getHost() + ":" + server.getMappedPort(K3sTopology.API_PORT) + ")";
    }

    /** The server container's short id. */
    public String containerId() {
        String id = server.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    /** The nodes' names, server first. */
    public List<String> nodeNames() {
        return nodes.members().stream().map(K3sNodeSet.Member::name).toList();
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public Platform platform() {
        return Platform.K3S;
    }

    /** Read from the server's containerd config ({@link ContainerdConfig}); the agents run the same image. Empty if it names none. */
    @Override
    public Optional<String> cniBinDir() {
        return Optional.ofNullable(cniBinDir);
    }

    @Override
    public Optional<ImageImporter> imageImporter() {
        return Optional.of(importer);
    }

    /** What containerd lists on every node ({@code ctr -n k8s.io images ls -q}). */
    public Set<String> containerdImages() {
        return importer.listedEverywhere();
    }

    @Override
    public void close() {
        client.close();
        if (stopOnClose) {
            nodes.close();
        }
    }
}
