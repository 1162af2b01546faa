package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.ClientSettings;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Path;

/**
 * The kubeconfig and client the Kubernetes API checks share: parsed once by {@link KubeconfigCheck}, the client
 * built on first use (short timeouts, no retries: a pre-flight answers in seconds). Close it when done.
 */
public final class KubernetesAccess implements AutoCloseable {
    private final Path kubeconfig;
    private final String context;
    private Config config;
    private KubernetesClient client;

    public KubernetesAccess(Path kubeconfig, String context) {
        this.kubeconfig = kubeconfig;
        this.context = context;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Parses the file (exit-2 MeshproofException on any problem, naming the file, never its content). */
    synchronized Config config() {
        if (config == null) {
            KubeconfigClusterProvider parser = new KubeconfigClusterProvider(kubeconfig, context);
            config = ClientSettings.preflight(parser.parse(KubeconfigClusterProvider.read(kubeconfig)));
        }
        return config;
    }

    synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(config()).build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
