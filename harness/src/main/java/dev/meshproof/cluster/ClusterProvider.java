package dev.meshproof.cluster;

import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;

/**
 * Provides a cluster: {@code k3s} (started with Testcontainers) or {@code kubeconfig} (the user's own).
 * Fails fast with {@link dev.meshproof.core.ExitCode#ENVIRONMENT} and one line saying what is missing
 * (no Docker, image cannot be pulled, cluster unreachable).
 */
public interface ClusterProvider {

    /** "k3s" or "kubeconfig". */
    String name();

    /**
     * Provisions or connects to the cluster, registering its teardown in {@code scope}.
     * The kubeconfig is written to {@code run} with mode 0600.
     */
    Cluster provision(RunDirectory run, Scope scope);
}
