package dev.meshproof.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The k3s command lines of Meshproof's nodes. The server keeps the command Testcontainers' K3sContainer used when
 * Meshproof started k3s with it ({@code server --disable=traefik --tls-san=<host>},
 * testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java). An agent takes
 * only agent flags: {@code --disable} and {@code --tls-san} are server flags, and the server to join and the token come
 * from {@code K3S_URL} / {@code K3S_TOKEN_FILE} (docs.k3s.io/cli/agent, "Cluster Options").
 */
public final class K3sCommand {
    /** The tag's Kubernetes version, e.g. v1.34.6-k3s1. */
    private static final Pattern KUBE_VERSION = Pattern.compile(":v(\\d+)\\.(\\d+)\\.");

    private K3sCommand() {
    }

    /**
     * @param nodeName the node's name in the API ({@code --node-name}, docs.k3s.io/cli/agent "Node"; servers take agent
     *                 flags too) rather than the container's random host name, so waits and placement can name it
     * @param tlsSans  the names clients use for the API server: the container's host (the kubeconfig's server) and, with
     *                 agents, the server's alias on the cluster's Docker network (their {@code K3S_URL})
     * @param cgroupV1 the Docker host runs cgroup v1: from Kubernetes 1.35 the kubelet refuses to start there
     *                 unless told otherwise (KEP-5573, kubernetes/enhancements#5573)
     * @param image    the k3s image; kubelets before 1.31 do not know the flag (KEP-4569 added it), so it is left out for them
     */
    public static List<String> serverArgs(String nodeName, List<String> tlsSans, boolean cgroupV1, String image) {
        List<String> args = new ArrayList<>(List.of("server", "--disable=traefik"));
        tlsSans.forEach(san -> args.add("--tls-san=" + san));
        args.add("--node-name=" + nodeName);
        kubeletArgs(args, cgroupV1, image);
        return List.copyOf(args);
    }

    /** {@code agent --node-name=NAME} and the kubelet flag the server gets on the same host. */
    public static List<String> agentArgs(String nodeName, boolean cgroupV1, String image) {
        List<String> args = new ArrayList<>(List.of("agent", "--node-name=" + nodeName));
        kubeletArgs(args, cgroupV1, image);
        return List.copyOf(args);
    }

    private static void kubeletArgs(List<String> args, boolean cgroupV1, String image) {
        if (cgroupV1 && kubeletKnowsFailCgroupV1(image)) {
            args.add("--kubelet-arg=fail-cgroupv1=false");
        }
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
