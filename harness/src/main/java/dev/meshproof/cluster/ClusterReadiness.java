package dev.meshproof.cluster;

import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Waits until a fresh cluster can take the mesh install: every node {@code Ready=True} (and, for a cluster Meshproof
 * started, every node it started registered under its name), then every kube-system
 * pod Running with its containers ready (or Succeeded, for k3s's helm-install jobs). The containers' own wait
 * ({@link K3sNodeContainers}, like Testcontainers' K3sContainer before it) is flannel's "Node controller sync successful"
 * log line, which says nothing about CoreDNS or the node's readiness (testcontainers-java#7235).
 */
public final class ClusterReadiness {
    static final String KUBE_SYSTEM = "kube-system";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Waits waits;
    private final List<String> expectedNodes;

    public ClusterReadiness(KubernetesClient client, Duration timeout, Duration poll) {
        this(client, new Waits(timeout, poll, PROGRESS_EVERY), List.of());
    }

    private ClusterReadiness(KubernetesClient client, Waits waits, List<String> expectedNodes) {
        this.client = client;
        this.waits = waits;
        this.expectedNodes = List.copyOf(expectedNodes);
    }

    /** Also waits for these nodes to register: a cluster whose agents have not joined yet has every node it lists Ready. */
    public ClusterReadiness expecting(List<String> nodeNames) {
        return new ClusterReadiness(client, waits, nodeNames);
    }

    /** Both waits, each with the full timeout; throws exit 3 naming what is still missing. */
    public void await() {
        until(expectedNodes.isEmpty() ? "every node Ready" : "every node Ready (" + String.join(", ", expectedNodes) + ")", this::nodesNotReady);
        until("every kube-system pod ready", this::kubeSystemPodsNotReady);
    }

    /**
     * Empty when every expected node is registered and every node is Ready=True; otherwise what is missing, e.g.
     * "node meshproof-agent-1: not registered, node k3s-1: Ready=False (KubeletNotReady)".
     */
    Optional<String> nodesNotReady() {
        List<Node> nodes = client.nodes().list().getItems();
        if (nodes.isEmpty() && expectedNodes.isEmpty()) {
            return Optional.of("no node registered yet");
        }
        Set<String> registered = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        String notReady = Stream.concat(
                        expectedNodes.stream().filter(name -> !registered.contains(name)).map(name -> "node " + name + ": not registered"),
                        nodes.stream().map(n -> readyProblem(n).map(p -> "node " + n.getMetadata().getName() + ": " + p).orElse(null)))
                .filter(Objects::nonNull)
                .collect(Collectors.joining(", "));
        return notReady.isEmpty() ? Optional.empty() : Optional.of(notReady);
    }

    private static Optional<String> readyProblem(Node node) {
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        Optional<NodeCondition> ready = conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isEmpty()) {
            return Optional.of("no Ready condition yet");
        }
        NodeCondition c = ready.get();
        return "True".equals(c.getStatus()) ? Optional.empty()
                : Optional.of("Ready=" + c.getStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")"));
    }

    /** Empty when kube-system has pods and all are Running+ready or Succeeded; otherwise the pods that are not. */
    Optional<String> kubeSystemPodsNotReady() {
        List<Pod> pods = client.pods().inNamespace(KUBE_SYSTEM).list().getItems();
        if (pods.isEmpty()) {
            return Optional.of("no pods in kube-system yet");
        }
        String notReady = pods.stream()
                .map(p -> podProblem(p).map(problem -> p.getMetadata().getName() + " (" + problem + ")").orElse(null))
                .filter(Objects::nonNull)
                .collect(Collectors.joining(", "));
        return notReady.isEmpty() ? Optional.empty() : Optional.of("not ready: " + notReady);
    }

    private static Optional<String> podProblem(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase)) {
            return Optional.empty();
        }
        if (!"Running".equals(phase)) {
            return Optional.of(phase == null ? "no status" : phase);
        }
        List<ContainerStatus> statuses = Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.of());
        boolean allReady = !statuses.isEmpty() && statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));
        return allReady ? Optional.empty() : Optional.of("Running, containers not ready");
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until {@code problem} is empty, printing what is pending every 10 s; on timeout throws exit 3 with
     * the last problem seen (names the object and the missing condition).
     */
    private void until(String state, Supplier<Optional<String>> problem) {
        waits.until(state, () -> {
            try {
                return problem.get().orElse(null);
            } catch (RuntimeException apiNotAnswering) { // the API server refuses connections while k3s starts
                if (Thread.currentThread().isInterrupted() || causedByInterrupt(apiNotAnswering)) {
                    throw apiNotAnswering; // Awaitility ending the wait: Waits keeps the last real problem
                }
                return "API server: " + KubeconfigClusterProvider.rootMessage(apiNotAnswering);
            }
        }, "the cluster did not become ready; rerun with --verbose, and check `meshproof doctor` (privileged containers, cgroups, kernel modules)");
    }
}
