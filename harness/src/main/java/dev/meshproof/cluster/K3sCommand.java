package dev.meshproof.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The k3s server command line. K3sContainer's {@code withCommand} REPLACES its default
 * ({@code server --disable=traefik --tls-san=<host>}), so the defaults are repeated here
 * (shared/design/istio-ambient-facts.md §1.9; testcontainers-java@2.0.5 K3sContainer.java).
 */
public final class K3sCommand {
    private K3sCommand() {
    }

    /**
     * @param tlsSan   the host name clients use for the API server (the container's host)
     * @param cgroupV1 the Docker host runs cgroup v1: from Kubernetes 1.35 the kubelet refuses to start there
     *                 unless told otherwise (facts ERRATA 3, KEP-5573); harmless on older kubelets that know the flag
     */
    public static List<String> serverArgs(String tlsSan, boolean cgroupV1) {
        List<String> args = new ArrayList<>(List.of("server", "--disable=traefik", "--tls-san=" + tlsSan));
        if (cgroupV1) {
            args.add("--kubelet-arg=fail-cgroupv1=false");
        }
        return List.copyOf(args);
    }
}
