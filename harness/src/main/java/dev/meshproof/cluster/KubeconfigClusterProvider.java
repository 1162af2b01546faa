package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An existing cluster reached through the user's kubeconfig (vendors certifying their own cluster).
 * Nothing is created, so closing the cluster only closes the client.
 */
public final class KubeconfigClusterProvider implements ClusterProvider {
    private final Path kubeconfig;
    private final String context;

    public KubeconfigClusterProvider(Path kubeconfig, String context) {
        this.kubeconfig = kubeconfig;
        this.context = context;
    }

    @Override
    public String name() {
        return "kubeconfig";
    }

    @Override
    public Cluster provision(RunDirectory run, Scope scope) {
        String yaml = read(kubeconfig);
        Config config = ClientSettings.run(parse(yaml));
        // The run's copy is the only place credentials are written, mode 0600.
        Path copy = run.writePrivate("kubeconfig.yaml", yaml);
        VersionInfo version;
        // The pre-flight's short timeouts and no retries are for this probe only, not for the run's client.
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(ClientSettings.preflight(parse(yaml))).build()) {
            version = checkReachable(probe, config);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        scope.onClose("close Kubernetes client", client::close);
        Cluster.Platform platform = version.getGitVersion() != null && version.getGitVersion().contains("+k3s")
                ? Cluster.Platform.K3S : Cluster.Platform.GENERIC;
        String description = "kubeconfig " + kubeconfig + " context " + nameOf(config) + " ("
                + config.getMasterUrl() + ", Kubernetes " + version.getGitVersion() + ")";
        Progress.info("connected: " + description);
        return new Cluster() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public Path kubeconfig() {
                return copy;
            }

            @Override
            public Platform platform() {
                return platform;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** Reads the file or fails with exit 2 naming the path. */
    public static String read(Path path) {
        requireFile(path);
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw MeshproofException.usage("cannot read kubeconfig " + path + ": " + e.getMessage(),
                    "check the file's permissions");
        }
    }

    /** Exit 2 unless {@code --kubeconfig} was given and names an existing file. */
    public static void requireFile(Path path) {
        if (path == null) {
            throw MeshproofException.usage("--cluster kubeconfig needs --kubeconfig FILE",
                    "pass the path of your kubeconfig, e.g. --kubeconfig ~/.kube/config");
        }
        if (!Files.isRegularFile(path)) {
            throw MeshproofException.usage("kubeconfig file not found: " + path,
                    "pass an existing file with --kubeconfig, or use --cluster k3s to start one");
        }
    }

    /**
     * Parses the kubeconfig (and selects the context) or fails with exit 2; never echoes the file's content. The
     * client settings are fabric8's; apply {@link ClientSettings#preflight} or {@link ClientSettings#run}.
     */
    public Config parse(String yaml) {
        Config config;
        try {
            config = Config.fromKubeconfig(context, yaml, kubeconfig.toString());
        } catch (RuntimeException e) {
            throw MeshproofException.usage("kubeconfig " + kubeconfig + " is not valid"
                            + (context != null ? " or has no context '" + context + "'" : "") + ": "
                            + firstLine(e.getMessage()),
                    "check it with: kubectl --kubeconfig " + kubeconfig + " config view");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw MeshproofException.usage("kubeconfig " + kubeconfig + " names no cluster server",
                    "check it with: kubectl --kubeconfig " + kubeconfig + " config view");
        }
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw MeshproofException.usage("kubeconfig " + kubeconfig + " has no context '" + context + "'",
                    "list its contexts with: kubectl --kubeconfig " + kubeconfig + " config get-contexts");
        }
        return config;
    }

    private VersionInfo checkReachable(KubernetesClient client, Config config) {
        try {
            return client.getKubernetesVersion();
        } catch (RuntimeException e) {
            throw MeshproofException.environment("cluster " + config.getMasterUrl() + " (context " + nameOf(config)
                            + ") is unreachable: " + rootMessage(e),
                    "check that the cluster is running and that the kubeconfig points at it; `meshproof doctor --cluster kubeconfig --kubeconfig "
                            + kubeconfig + "` checks more", e);
        }
    }

    private static String nameOf(Config config) {
        return config.getCurrentContext() == null ? "(none)" : config.getCurrentContext().getName();
    }

    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return firstLine(m == null ? root.getClass().getSimpleName() : m);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
