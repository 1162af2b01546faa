package dev.meshproof.bench;

import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.workload.Workloads;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;

/**
 * The benchmark's workloads in one namespace: the agent's echo server (v1) and client from fixtures/workloads,
 * waited for until Available; in an ambient namespace also until ztunnel has captured the pods
 * ({@code ambient.istio.io/redirection: enabled}), so no request is measured before the mesh is in the path.
 */
public final class AgentBenchWorkloads implements ClusterModeRunner.BenchWorkloads {
    private final KubernetesClient client;
    private final String image;
    private final Waits waits;

    public AgentBenchWorkloads(KubernetesClient client, String image, Waits waits) {
        this.client = client;
        this.image = image;
        this.waits = waits;
    }

    @Override
    public void deploy(String namespace, Scope scope) {
        Workloads workloads = new Workloads(client, scope, image);
        workloads.deployServer(namespace, "v1");
        workloads.deployClient(namespace);
        Duration timeout = waits.timeout();
        workloads.awaitReady(namespace, ClusterModeRunner.SERVER_DEPLOYMENT, timeout);
        workloads.awaitReady(namespace, Workloads.CLIENT, timeout);
        Namespace ns = client.namespaces().withName(namespace).get();
        if (ns != null && "ambient".equals(ns.getMetadata().getLabels().get(Enrollment.DATAPLANE_MODE))) {
            new Enrollment(client).awaitCaptured(namespace, waits);
        }
    }
}
