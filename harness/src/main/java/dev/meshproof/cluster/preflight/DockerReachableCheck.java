package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.DockerEngine;

/** The Docker engine that k3s mode starts its container on answers. */
public final class DockerReachableCheck implements Check {
    private final DockerEngine docker;

    public DockerReachableCheck(DockerEngine docker) {
        this.docker = docker;
    }

    @Override
    public String description() {
        return "Docker engine reachable";
    }

    @Override
    public CheckResult run() {
        DockerEngine.Status s = docker.probe();
        if (!s.reachable()) {
            return CheckResult.fail("no Docker engine found (" + s.description() + ")",
                    "start Docker (e.g. systemctl start docker), or use --cluster kubeconfig with a running cluster");
        }
        if (s.cgroupV1()) {
            return CheckResult.warn(s.description() + "; cgroup v1 host",
                    "k3s >= 1.35 refuses cgroup v1 unless started with --kubelet-arg=fail-cgroupv1=false (Meshproof adds it)");
        }
        return CheckResult.ok(s.description());
    }
}
