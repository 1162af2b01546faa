package dev.meshproof.cluster;

import java.nio.file.Path;

/**
 * How the user asked for a cluster: {@code --cluster k3s|kubeconfig}, {@code --kubeconfig}, {@code --context}.
 * The k3s image defaults to the pinned version set (see the mesh versions file).
 */
public record ClusterOptions(String kind, Path kubeconfig, String context, String k3sImage) {

    public static final String K3S = "k3s";
    public static final String KUBECONFIG = "kubeconfig";
}
