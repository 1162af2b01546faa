package dev.meshproof.cluster;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the user asked for a cluster: {@code --cluster k3s|kubeconfig}, {@code --kubeconfig}, {@code --context},
 * {@code --k3s-image} (null = the pinned default from the versions file), {@code --pull-timeout}, whether the
 * run keeps the k3s container ({@code --keep}: it must then outlive the JVM), and the registry mirror k3s pulls
 * through ({@code --registry-mirror}, null = none).
 */
public record ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage, Duration pullTimeout, boolean keep,
                             String registryMirror) {

    public static final String K3S = "k3s";
    public static final String KUBECONFIG = "kubeconfig";

    public ClusterOptions {
        pullTimeout = pullTimeout == null ? ImageAvailability.DEFAULT_PULL_TIMEOUT : pullTimeout;
    }

    public ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage, Duration pullTimeout, boolean keep) {
        this(kind, kubeconfig, context, k3sImage, pullTimeout, keep, null);
    }

    public ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage) {
        this(kind, kubeconfig, context, k3sImage, ImageAvailability.DEFAULT_PULL_TIMEOUT, false);
    }

    public ClusterOptions withKeep(boolean value) {
        return new ClusterOptions(kind, kubeconfig, context, k3sImage, pullTimeout, value, registryMirror);
    }
}
