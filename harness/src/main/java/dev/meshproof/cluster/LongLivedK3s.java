package dev.meshproof.cluster;

import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;

import java.time.Duration;
import java.util.List;

/**
 * The k3s kept running between iterations ({@code meshproof cluster up|down|status}).
 * <p>
 * {@code up} starts k3s with Testcontainers reuse ({@code withReuse(true)}): the container is labelled with a hash
 * of its create command, survives the JVM, and the next {@code up} with the same image finds and reattaches to it
 * instead of starting another. {@code status} and {@code down} find it by Meshproof's own label
 * ({@link K3sClusterProvider#LABEL}{@code =long-lived}), so they need no Testcontainers state.
 */
public final class LongLivedK3s {
    public static final String LABEL_VALUE = "long-lived";

    private final DockerEngine docker;
    private final String labelValue;

    public LongLivedK3s(DockerEngine docker) {
        this(docker, LABEL_VALUE);
    }

    /** @param labelValue tests use their own value so they never see or remove a user's cluster */
    public LongLivedK3s(DockerEngine docker, String labelValue) {
        this.docker = docker;
        this.labelValue = labelValue;
    }

    /** Starts it, or reattaches to the running one; the kubeconfig goes to {@code dir}. */
    public Cluster up(String image, Duration pullTimeout, RunDirectory dir, Scope scope) {
        return up(image, pullTimeout, null, dir, scope);
    }

    /** @param registryMirror {@code --registry-mirror} (null: none); part of the reuse hash, so another mirror starts another k3s */
    public Cluster up(String image, Duration pullTimeout, String registryMirror, RunDirectory dir, Scope scope) {
        return new K3sClusterProvider(image, docker, pullTimeout, K3sClusterProvider.Lifetime.LONG_LIVED, labelValue)
                .registryMirror(registryMirror).provision(dir, scope);
    }

    /** The long-lived k3s containers, running or stopped (exit 3 when Docker is not there). */
    public List<DockerEngine.ContainerSummary> find() {
        K3sClusterProvider.requireDocker(docker);
        return docker.containersLabelled(K3sClusterProvider.LABEL, labelValue);
    }

    /** Removes every long-lived k3s container; returns what was removed. */
    public List<DockerEngine.ContainerSummary> down() {
        List<DockerEngine.ContainerSummary> found = find();
        found.forEach(c -> docker.remove(c.id()));
        return found;
    }
}
