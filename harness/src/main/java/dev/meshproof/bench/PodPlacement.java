package dev.meshproof.bench;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Schedulable nodes for (client, server) under {@code placement}; empty for ANY (no pinning). */
    Optional<String[]> choose(LoadProfile.Placement placement) {
        if (placement == LoadProfile.Placement.ANY) {
            return Optional.empty();
        }
        List<String> nodes = client.nodes().list().getItems().stream()
                .filter(n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
                .map(n -> n.getMetadata().getName()).sorted().toList();
        if (nodes.isEmpty()) {
            throw MeshproofException.environment("the cluster has no schedulable node", null, null);
        }
        if (placement == LoadProfile.Placement.SAME_NODE) {
            return Optional.of(new String[]{nodes.get(0), nodes.get(0)});
        }
        if (nodes.size() < 2) {
            throw MeshproofException.usage("placement cross-node needs two schedulable nodes; the cluster has " + nodes.size()
                    + " (" + String.join(", ", nodes) + ")", "use 'placement: same-node' or 'any' in the profile, or add a node");
        }
        return Optional.of(new String[]{nodes.get(0), nodes.get(1)});
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
