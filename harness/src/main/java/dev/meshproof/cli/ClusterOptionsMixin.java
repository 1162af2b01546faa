package dev.meshproof.cli;

import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.K3sRegistries;
import dev.meshproof.cluster.K3sTopology;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.core.MeshproofException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The cluster flags every command that needs a cluster shares ({@code run}, {@code install}, {@code cluster},
 * {@code doctor}): use with {@code @Mixin ClusterOptionsMixin cluster;} and call {@link #toOptions()}, which checks
 * the combination and fails with exit 2 naming the flag or file.
 */
public class ClusterOptionsMixin {

    @Option(names = "--cluster", paramLabel = "KIND", defaultValue = ClusterOptions.K3S,
            description = "k3s: start k3s in Docker (default); kubeconfig: use your own cluster (--kubeconfig).")
    String kind;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of your cluster (with --cluster kubeconfig).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: its current-context).")
    String context;

    @Option(names = "--k3s-image", paramLabel = "IMAGE", description = "k3s image (default: the pinned rancher/k3s tag).")
    String k3sImage;

    @Option(names = "--pull-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up pulling the k3s image after this many seconds (default: ${DEFAULT-VALUE}).")
    int pullTimeoutSeconds;

    @Option(names = "--registry-mirror", paramLabel = "HOST", description = "k3s pulls Docker Hub images through this mirror"
            + " (host[:port] for HTTPS, or an http:// URL); written to k3s's registries.yaml.")
    String registryMirror;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "k3s nodes to start: a server and N-1 agents"
            + " on one Docker network (default: ${DEFAULT-VALUE}; cross-node placement needs 2).")
    int nodes;

    /** The validated options; exit 2 for a bad combination or a kubeconfig file that does not exist. */
    public ClusterOptions toOptions() {
        switch (kind) {
            case ClusterOptions.K3S -> {
                if (kubeconfig != null || context != null) {
                    throw MeshproofException.usage("--kubeconfig and --context need --cluster kubeconfig",
                            "add --cluster kubeconfig to use your own cluster, or drop them to start k3s");
                }
            }
            case ClusterOptions.KUBECONFIG -> {
                KubeconfigClusterProvider.requireFile(kubeconfig);
                if (k3sImage != null) {
                    throw MeshproofException.usage("--k3s-image needs --cluster k3s", "drop --k3s-image when using your own cluster");
                }
                if (registryMirror != null) {
                    throw MeshproofException.usage("--registry-mirror needs --cluster k3s",
                            "configure your cluster's nodes for the mirror yourself, or drop --registry-mirror");
                }
                if (nodes != 1) {
                    throw MeshproofException.usage("--nodes needs --cluster k3s: your own cluster has the nodes it has",
                            "drop --nodes; placement uses your cluster's schedulable nodes");
                }
            }
            default -> throw MeshproofException.usage("unknown --cluster '" + kind + "'",
                    "use --cluster k3s (start k3s in Docker) or --cluster kubeconfig (your own cluster)");
        }
        if (pullTimeoutSeconds <= 0) {
            throw MeshproofException.usage("--pull-timeout must be a positive number of seconds, not " + pullTimeoutSeconds, null);
        }
        if (registryMirror != null) {
            K3sRegistries.endpoint(registryMirror); // exit 2 before anything starts
        }
        K3sTopology.requireNodes(nodes);
        return new ClusterOptions(kind, kubeconfig, context, k3sImage, Duration.ofSeconds(pullTimeoutSeconds), false, registryMirror, nodes);
    }
}
