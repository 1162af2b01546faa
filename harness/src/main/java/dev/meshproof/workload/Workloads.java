package dev.meshproof.workload;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deploys the agent fixtures into a namespace, waits for them, and removes them again: every object applied
 * registers its deletion in the {@link Scope} when it is applied.
 */
public final class Workloads {
    /** Deployment and app label of the client; its pod's call API is what the traffic client drives. */
    public static final String CLIENT = "client";
    /** Service selecting every echo version; {@code echo-v1}, {@code echo-v2} select one. */
    public static final String ECHO = "echo";

    private final KubernetesClient client;
    private final Scope scope;
    private final String image;

    /** @param image the agent image reference the pods run, e.g. {@code meshproof/agent:0.1.0} */
    public Workloads(KubernetesClient client, Scope scope, String image) {
        this.client = client;
        this.scope = scope;
        this.image = image;
    }

    /** The echo server in one version flavour (Deployment {@code echo-<version>}, Services {@code echo} and {@code echo-<version>}). */
    public List<HasMetadata> deployServer(String namespace, String version) {
        return apply(namespace, Fixtures.AGENT_SERVER, Map.of("NAMESPACE", namespace, "IMAGE", image, "VERSION", version));
    }

    /** The client (Deployment, ServiceAccount and app label {@code client}). */
    public List<HasMetadata> deployClient(String namespace) {
        return deployClient(namespace, CLIENT);
    }

    /** A client named {@code name}: its own ServiceAccount (so its own SPIFFE identity), Deployment and app label. */
    public List<HasMetadata> deployClient(String namespace, String name) {
        return apply(namespace, Fixtures.AGENT_CLIENT, Map.of("NAMESPACE", namespace, "IMAGE", image, "NAME", name));
    }

    private List<HasMetadata> apply(String namespace, String fixture, Map<String, String> values) {
        List<HasMetadata> applied = new ArrayList<>();
        for (HasMetadata item : Fixtures.load(client, fixture, values)) {
            String what = item.getKind() + " " + namespace + "/" + item.getMetadata().getName();
            // Create, or update what exists: the ServiceAccount and Service `echo` are applied once per version.
            // (Not server-side apply: fabric8's mock API server, which the tests use, does not implement it.)
            HasMetadata result = client.resource(item).inNamespace(namespace).createOr(NonDeletingOperation::update);
            scope.onClose("delete " + what, () -> client.resource(item).inNamespace(namespace).delete());
            Progress.info("applied " + what);
            applied.add(result);
        }
        return applied;
    }

    /**
     * Waits until the Deployment is ready (see {@link DeploymentReadiness}), polling every 500 ms.
     *
     * @throws MeshproofException (environment) naming the Deployment and the condition still missing at the timeout
     */
    public void awaitReady(String namespace, String deployment, Duration timeout) {
        new Waits(timeout, Duration.ofMillis(500), Duration.ofSeconds(10)).until("Deployment " + namespace + "/" + deployment + " ready",
                () -> DeploymentReadiness.missing(client.apps().deployments().inNamespace(namespace).withName(deployment).get())
                        .map(condition -> "missing " + condition).orElse(null),
                "kubectl -n " + namespace + " describe deployment " + deployment + "; kubectl -n " + namespace
                        + " get pods -l app=" + appLabel(deployment) + " (image " + image + " present on the nodes?)");
    }

    private static String appLabel(String deployment) {
        return deployment.startsWith(ECHO + "-") ? ECHO : deployment;
    }
}
