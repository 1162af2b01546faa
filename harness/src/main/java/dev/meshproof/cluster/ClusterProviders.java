package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;

/** Picks the provider for {@code --cluster}: {@code k3s} (default) or {@code kubeconfig}; anything else is exit 2. */
public final class ClusterProviders {
    private ClusterProviders() {
    }

    public static ClusterProvider create(ClusterOptions options) {
        return create(options, new TestcontainersDockerEngine());
    }

    public static ClusterProvider create(ClusterOptions options, DockerEngine docker) {
        String kind = options.kind() == null ? ClusterOptions.K3S : options.kind();
        return switch (kind) {
            case ClusterOptions.K3S -> new K3sClusterProvider(k3sImage(options), docker, options.pullTimeout(),
                    options.keep() ? K3sClusterProvider.Lifetime.KEPT : K3sClusterProvider.Lifetime.RUN, "run")
                    .registryMirror(options.registryMirror()).nodes(options.nodes());
            case ClusterOptions.KUBECONFIG -> new KubeconfigClusterProvider(options.kubeconfig(), options.context());
            default -> throw MeshproofException.usage("unknown cluster kind '" + kind + "'",
                    "use --cluster k3s (start k3s in Docker) or --cluster kubeconfig (your own cluster)");
        };
    }

    /** --k3s-image, else the pinned image from the versions file. */
    public static String k3sImage(ClusterOptions options) {
        return options.k3sImage() != null ? options.k3sImage() : Versions.defaults().k3s().image();
    }
}
