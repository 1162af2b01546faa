package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.DockerEngine;

import java.time.Duration;
import java.util.Optional;

/**
 * The engine lets K3sContainer run k3s: privileged, host cgroup namespace, /sys/fs/cgroup read-write
 * (testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java).
 * Rootless Docker and some nested setups refuse this (testcontainers-java@2.0.5:docs/modules/k3s.md),
 * which otherwise only shows when the run starts k3s.
 */
public final class PrivilegedContainerCheck implements Check {
    private final DockerEngine docker;
    private final String image;
    private final Duration timeout;

    public PrivilegedContainerCheck(DockerEngine docker, String image, Duration timeout) {
        this.docker = docker;
        this.image = image;
        this.timeout = timeout;
    }

    @Override
    public String description() {
        return "privileged containers allowed";
    }

    @Override
    public CheckResult run() {
        Optional<String> refused = docker.tryPrivileged(image, timeout);
        return refused.isEmpty()
                ? CheckResult.ok("a privileged container with the host cgroup namespace ran")
                : CheckResult.fail("the engine refused a privileged container: " + refused.get(),
                "k3s in Docker needs privileged containers (not rootless Docker or a restricted nested engine); or use --cluster kubeconfig");
    }
}
