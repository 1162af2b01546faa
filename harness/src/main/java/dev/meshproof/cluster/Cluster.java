package dev.meshproof.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A running Kubernetes cluster Meshproof may work on, whoever provided it.
 * Closing it releases what the provider created (a k3s container), unless the run keeps it.
 */
public interface Cluster extends AutoCloseable {

    /** One line for progress output and reports, e.g. "k3s rancher/k3s:v1.34.6-k3s1 (container 1a2b3c)". Never credentials. */
    String description();

    /** The fabric8 client all cluster work goes through. */
    KubernetesClient client();

    /** The kubeconfig file (mode 0600) inside the run directory. */
    Path kubeconfig();

    /** Which platform-specific install values apply (Istio's global.platform). */
    Platform platform();

    /** The CNI binary directory containerd really uses, where the provider can read it (k3s); empty otherwise. */
    default Optional<String> cniBinDir() {
        return Optional.empty();
    }

    /** Loading a locally built image into the cluster's runtime, where the provider can (k3s: ctr import). */
    default Optional<ImageImporter> imageImporter() {
        return Optional.empty();
    }

    @Override
    void close();

    enum Platform {
        /** k3s (Testcontainers or a user's): Istio chart value global.platform=k3s, CNI dirs under /var/lib/rancher. */
        K3S,
        /** Any other conformant cluster: no platform value. */
        GENERIC
    }
}
