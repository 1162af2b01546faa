package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.KubeconfigClusterProvider;
import io.fabric8.kubernetes.client.VersionInfo;

/** The API server answers {@code /version} within the client's short timeouts. */
public final class ClusterReachableCheck implements Check {
    private final KubernetesAccess access;

    public ClusterReachableCheck(KubernetesAccess access) {
        this.access = access;
    }

    @Override
    public String description() {
        return "Kubernetes API reachable";
    }

    @Override
    public CheckResult run() {
        try {
            VersionInfo v = access.client().getKubernetesVersion();
            String version = v.getGitVersion() != null ? v.getGitVersion() : v.getMajor() + "." + v.getMinor();
            return CheckResult.ok("Kubernetes " + version + " at " + access.config().getMasterUrl());
        } catch (RuntimeException e) {
            return CheckResult.fail(access.config().getMasterUrl() + " is unreachable: " + KubeconfigClusterProvider.rootMessage(e),
                    "check that the cluster is running and that the kubeconfig's server and context are right");
        }
    }
}
