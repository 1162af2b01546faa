package dev.meshproof.traffic;

import dev.meshproof.cluster.Cluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * A {@link Cluster} from the kubeconfig named by {@code -Dmeshproof.kubeconfig} or {@code MESHPROOF_KUBECONFIG},
 * for the e2e tests of this package. (The harness's kubeconfig provider does the same for real runs; this keeps
 * the test independent of it.)
 */
final class KubeconfigTestCluster implements Cluster {
    private final Path kubeconfig;
    private final KubernetesClient client;

    private KubeconfigTestCluster(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /** The configured kubeconfig, if one is configured and exists. */
    static Optional<Path> configured() {
        String value = System.getProperty("meshproof.kubeconfig", System.getenv("MESHPROOF_KUBECONFIG"));
        return Optional.ofNullable(value).filter(v -> !v.isBlank()).map(Paths::get).filter(Files::isRegularFile);
    }

    static KubeconfigTestCluster open(Path kubeconfig) {
        return new KubeconfigTestCluster(kubeconfig);
    }

    @Override
    public String description() {
        return "kubeconfig " + kubeconfig + " (context " + client.getConfiguration().getCurrentContext().getName() + ")";
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
        return Platform.GENERIC;
    }

    @Override
    public void close() {
        client.close();
    }
}
