package dev.meshproof.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.testcontainers.k3s.K3sContainer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** A k3s node in a Testcontainers container, as provisioned by {@link K3sClusterProvider}. */
public final class K3sCluster implements Cluster {
    private final K3sContainer container;
    private final KubernetesClient client;
    private final Path kubeconfig;
    private final String cniBinDir;
    private final boolean stopOnClose;
    private final CtrImageImporter importer;

    K3sCluster(K3sContainer container, KubernetesClient client, Path kubeconfig, String cniBinDir, boolean stopOnClose) {
        this.container = container;
        this.client = client;
        this.kubeconfig = kubeconfig;
        this.cniBinDir = cniBinDir;
        this.stopOnClose = stopOnClose;
        this.importer = new CtrImageImporter(new K3sShell(container));
    }

    @Override
    public String description() {
        return "k3s " + container.getDockerImageName() + " (container " + containerId() + ", API https://"
                + container.getHost() + ":" + container.getMappedPort(K3sContainer.KUBE_SECURE_PORT) + ")";
    }

    public String containerId() {
        String id = container.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
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

    /** Read from the running node's containerd config ({@link ContainerdConfig}); empty if it names none. */
    @Override
    public Optional<String> cniBinDir() {
        return Optional.ofNullable(cniBinDir);
    }

    @Override
    public Optional<ImageImporter> imageImporter() {
        return Optional.of(importer);
    }

    /** What containerd in the node lists ({@code ctr -n k8s.io images ls -q}). */
    public Set<String> containerdImages() {
        return importer.listed();
    }

    @Override
    public void close() {
        client.close();
        if (stopOnClose) {
            container.stop();
        }
    }
}
