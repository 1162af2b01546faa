package dev.meshproof.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the user asked for a cluster: {@code --cluster k3s|kubeconfig}, {@code --kubeconfig}, {@code --context},
 * {@code --k3s-image} (null = the pinned default from the versions file), {@code --pull-timeout}, whether the
 * run keeps the k3s containers ({@code --keep}: they must then outlive the JVM), the registry mirror k3s pulls
 * through ({@code --registry-mirror}, null = none), and how many k3s nodes to start ({@code --nodes}, server included).
 */
public record ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage, Duration pullTimeout, boolean keep,
                             String registryMirror, int nodes) {

    public static final String K3S = "k3s";
    public static final String KUBECONFIG = "kubeconfig";

    public ClusterOptions {
        pullTimeout = pullTimeout == null ? ImageAvailability.DEFAULT_PULL_TIMEOUT : pullTimeout;
    }

    public ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage, Duration pullTimeout, boolean keep,
                          String registryMirror) {
        this(kind, kubeconfig, context, k3sImage, pullTimeout, keep, registryMirror, 1);
    }

    public ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage, Duration pullTimeout, boolean keep) {
        this(kind, kubeconfig, context, k3sImage, pullTimeout, keep, null);
    }

    public ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage) {
        this(kind, kubeconfig, context, k3sImage, ImageAvailability.DEFAULT_PULL_TIMEOUT, false);
    }

    public ClusterOptions withKeep(boolean value) {
        return new ClusterOptions(kind, kubeconfig, context, k3sImage, pullTimeout, value, registryMirror, nodes);
    }

    public ClusterOptions withNodes(int value) {
        return new ClusterOptions(kind, kubeconfig, context, k3sImage, pullTimeout, keep, registryMirror, value);
    }

    /** Meshproof starts the cluster (k3s), rather than using the user's. */
    public boolean startsK3s() {
        return kind == null || K3S.equals(kind);
    }
}
