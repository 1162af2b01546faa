package dev.meshproof.bench;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Pins the benchmark's client and server to nodes as the profile asks (same node, different nodes, or
 * wherever the scheduler put them) and records where they, and a waypoint if there is one, actually run.
 */
public final class PodPlacement {
    static final String HOSTNAME = "kubernetes.io/hostname";
    /**
     * Label Istio puts on a waypoint's pods (Gateway with gatewayClassName istio-waypoint;
     * istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/waypoint.yaml).
     */
    static final String WAYPOINT_POD_LABEL = "gateway.networking.k8s.io/gateway-name";
    private final KubernetesClient client;
    private final Waits waits;

    /** @param timeout how long {@link #pin} waits for the pinned pod (polled every second) */
    public PodPlacement(KubernetesClient client, Duration timeout) {
        this.client = client;
        this.waits = new Waits(timeout, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /**
     * Nodes for (client, server) under {@code placement}, from the cluster's schedulable nodes in name order; empty for
     * ANY (no pinning). Exit 2 naming the nodes there are, and why the others do not count, when cross-node finds fewer
     * than two: measuring the node-local path instead would answer another question.
     */
    public Optional<String[]> choose(LoadProfile.Placement placement) {
        if (placement == LoadProfile.Placement.ANY) {
            return Optional.empty();
        }
        Map<String, String> excluded = new TreeMap<>();
        List<String> nodes = client.nodes().list().getItems().stream()
                .filter(n -> {
                    Optional<String> why = unschedulable(n);
                    why.ifPresent(reason -> excluded.put(n.getMetadata().getName(), reason));
                    return why.isEmpty();
                })
                .map(n -> n.getMetadata().getName()).sorted().toList();
        String others = excluded.isEmpty() ? "" : "; not schedulable for the benchmark's pods: " + excluded.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
        if (nodes.isEmpty()) {
            throw MeshproofException.environment("the cluster has no schedulable node" + others, null, null);
        }
        if (placement == LoadProfile.Placement.SAME_NODE) {
            return Optional.of(new String[]{nodes.get(0), nodes.get(0)});
        }
        if (nodes.size() < 2) {
            throw MeshproofException.usage("placement cross-node needs two schedulable nodes; the cluster has " + nodes.size()
                    + " (" + String.join(", ", nodes) + ")" + others, CROSS_NODE_HINT);
        }
        return Optional.of(new String[]{nodes.get(0), nodes.get(1)});
    }

    /** What to do when cross-node finds one node. */
    public static final String CROSS_NODE_HINT = "start k3s with --nodes 2 (or more), use a cluster with two schedulable nodes,"
            + " or set 'placement: same-node' or 'any' in the profile";

    /**
     * Why the benchmark's pods (no tolerations) cannot be pinned to {@code node}: cordoned, or a NoSchedule/NoExecute
     * taint (a control-plane node, a node the lifecycle controller marked not-ready).
     */
    private static Optional<String> unschedulable(Node node) {
        if (node.getSpec() == null) {
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return Optional.of("unschedulable");
        }
        return Objects.requireNonNullElse(node.getSpec().getTaints(), List.<Taint>of()).stream()
                .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .map(t -> "taint " + t.getKey() + (t.getValue() == null || t.getValue().isEmpty() ? "" : "=" + t.getValue()) + ":" + t.getEffect())
                .findFirst();
    }

    /** Pins the Deployment's pods to {@code node} and waits until exactly one ready pod runs there. */
    void pin(String namespace, String deployment, String appLabel, String node) {
        client.apps().deployments().inNamespace(namespace).withName(deployment).edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().addToNodeSelector(HOSTNAME, node).endSpec().endTemplate().endSpec().build());
        waits.until("one pod app=" + appLabel + " ready on node " + node, () -> {
            List<Pod> pods = pods(namespace, appLabel);
            if (pods.isEmpty()) {
                return "no pod app=" + appLabel;
            }
            if (pods.size() > 1) {
                return pods.size() + " pods app=" + appLabel + " ("
                        + pods.stream().map(p -> p.getMetadata().getName() + " on " + p.getSpec().getNodeName()).collect(Collectors.joining(", ")) + ")";
            }
            Pod pod = pods.get(0);
            if (!node.equals(pod.getSpec().getNodeName())) {
                return "pod " + pod.getMetadata().getName() + " is on node " + pod.getSpec().getNodeName();
            }
            return Readiness.isPodReady(pod) ? null : "pod " + pod.getMetadata().getName() + " not ready";
        }, "kubectl -n " + namespace + " get pods -l app=" + appLabel + " -o wide; kubectl -n " + namespace + " describe deployment " + deployment
                + " (can node " + node + " take the pod?)");
    }

    /** Where the mode's pods run now: client, server and (if any) waypoint node and pod names. */
    Map<String, String> record(String namespace, String clientApp, String serverApp) {
        Map<String, String> placement = new LinkedHashMap<>();
        put(placement, "client", pods(namespace, clientApp));
        put(placement, "server", pods(namespace, serverApp));
        put(placement, "waypoint", client.pods().inNamespace(namespace).withLabel(WAYPOINT_POD_LABEL).list().getItems());
        if (placement.containsKey("client") && placement.containsKey("server")) {
            placement.put("topology", placement.get("client").equals(placement.get("server")) ? "same-node" : "cross-node");
        }
        return placement;
    }

    String clientPod(String namespace, String clientApp) {
        List<Pod> pods = pods(namespace, clientApp);
        if (pods.isEmpty()) {
            throw MeshproofException.environment("no client pod in namespace " + namespace, null, null);
        }
        return pods.get(0).getMetadata().getName();
    }

    private List<Pod> pods(String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static void put(Map<String, String> placement, String role, List<Pod> pods) {
        if (!pods.isEmpty() && pods.get(0).getSpec().getNodeName() != null) {
            placement.put(role, pods.get(0).getSpec().getNodeName());
            placement.put(role + "Pod", pods.get(0).getMetadata().getName());
        }
    }
}
