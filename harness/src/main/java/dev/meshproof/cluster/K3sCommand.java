package dev.meshproof.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The k3s server command line. K3sContainer's {@code withCommand} REPLACES its default
 * ({@code server --disable=traefik --tls-san=<host>}), so the defaults are repeated here
 * (testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java).
 */
public final class K3sCommand {
    /** The tag's Kubernetes version, e.g. v1.34.6-k3s1. */
    private static final Pattern KUBE_VERSION = Pattern.compile(":v(\\d+)\\.(\\d+)\\.");

    private K3sCommand() {
    }

    /**
     * @param tlsSan   the host name clients use for the API server (the container's host)
     * @param cgroupV1 the Docker host runs cgroup v1: from Kubernetes 1.35 the kubelet refuses to start there
     *                 unless told otherwise (KEP-5573, kubernetes/enhancements#5573)
     * @param image    the k3s image; kubelets before 1.31 do not know the flag (KEP-4569 added it), so it is left out for them
     */
    public static List<String> serverArgs(String tlsSan, boolean cgroupV1, String image) {
        List<String> args = new ArrayList<>(List.of("server", "--disable=traefik", "--tls-san=" + tlsSan));
        if (cgroupV1 && kubeletKnowsFailCgroupV1(image)) {
            args.add("--kubelet-arg=fail-cgroupv1=false");
        }
        return List.copyOf(args);
    }

    /** True unless the tag names a Kubernetes version below 1.31; an unreadable tag counts as new. */
    static boolean kubeletKnowsFailCgroupV1(String image) {
        Matcher m = KUBE_VERSION.matcher(image);
        if (!m.find()) {
            return true;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 1 || minor >= 31;
    }
}
