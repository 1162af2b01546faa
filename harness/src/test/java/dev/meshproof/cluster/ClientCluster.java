package dev.meshproof.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;

/** A {@link Cluster} over a test's client (the fabric8 mock server): nothing to provision, import into or close. */
public record ClientCluster(KubernetesClient client, Platform platform, Path kubeconfig) implements Cluster {

    public ClientCluster(KubernetesClient client, Platform platform) {
        this(client, platform, Path.of("unused-kubeconfig"));
    }

    @Override
    public String description() {
        return "mock cluster (" + platform + ")";
    }

    @Override
    public void close() {
    }
}
