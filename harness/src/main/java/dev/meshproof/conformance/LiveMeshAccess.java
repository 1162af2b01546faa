package dev.meshproof.conformance;

import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;
import dev.meshproof.traffic.TrafficClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mesh in a real cluster. Calls go through a port-forward to the client pod's call API (the calls start inside
 * the mesh, from the pod's identity). ztunnel's metrics are read through the API server's pod proxy from port 15020,
 * path {@code /metrics} (istio/ztunnel@1.29.6:src/metrics/server.rs; chart annotation {@code prometheus.io/port:
 * "15020"}, istio/istio@1.29.6:manifests/charts/ztunnel/templates/daemonset.yaml), its logs from the container
 * {@code istio-proxy} of the DaemonSet's pods (label {@code app=ztunnel}, same template). The sidecar data plane
 * has no shared proxy: its evidence is in the echo replies (X-Forwarded-Client-Cert).
 */
public final class LiveMeshAccess implements MeshAccess {
    static final String ISTIO_NAMESPACE = "istio-system";
    static final String ZTUNNEL_LABEL = "ztunnel";
    /** ztunnel's container, and a sidecar's: both are named istio-proxy. */
    static final String PROXY_CONTAINER = "istio-proxy";
    static final int ZTUNNEL_STATS_PORT = 15020;
    /** Bounds one log read: a busy ztunnel logs a line per connection. */
    static final int LOG_LIMIT_BYTES = 4 * 1024 * 1024;

    private final KubernetesClient client;

    public LiveMeshAccess(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Caller caller(String namespace, String name, Scope scope) {
        return TrafficClient.viaPortForward(client, namespace, name, scope)::callRaw;
    }

    @Override
    public List<MetricsScrape> scrapeProxies(DataPlane dataPlane, String label) {
        List<MetricsScrape> out = new ArrayList<>();
        if (dataPlane != DataPlane.AMBIENT) {
            return out;
        }
        for (Pod pod : ztunnels()) {
            String name = pod.getMetadata().getName();
            try {
                String body = client.raw("/api/v1/namespaces/" + ISTIO_NAMESPACE + "/pods/" + name + ":" + ZTUNNEL_STATS_PORT + "/proxy/metrics");
                if (body != null) {
                    out.add(new MetricsScrape(label, ISTIO_NAMESPACE + "/" + name, pod.getSpec().getNodeName(), body));
                }
            } catch (KubernetesClientException e) {
                Progress.info("cannot scrape " + name + ":" + ZTUNNEL_STATS_PORT + "/metrics: " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public List<LogCapture> proxyLogs(DataPlane dataPlane, java.util.Collection<String> namespaces, Instant since) {
        List<LogCapture> out = new ArrayList<>();
        List<Pod> proxies = new ArrayList<>();
        if (dataPlane == DataPlane.AMBIENT) {
            proxies.addAll(ztunnels());
        } else {
            // the sidecar container Istio injects (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/injection-template.yaml)
            namespaces.forEach(ns -> client.pods().inNamespace(ns).list().getItems().stream()
                    .filter(p -> p.getSpec().getContainers().stream().anyMatch(c -> PROXY_CONTAINER.equals(c.getName())))
                    .forEach(proxies::add));
        }
        for (Pod pod : proxies) {
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            try {
                String log = client.raw("/api/v1/namespaces/" + ns + "/pods/" + name + "/log?container=" + PROXY_CONTAINER
                        + "&sinceTime=" + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "&limitBytes=" + LOG_LIMIT_BYTES);
                if (log != null) {
                    out.add(new LogCapture(ns + "/" + name, log));
                }
            } catch (KubernetesClientException e) {
                Progress.info("cannot read the log of " + ns + "/" + name + ": " + e.getMessage());
            }
        }
        return out;
    }

    private List<Pod> ztunnels() {
        return client.pods().inNamespace(ISTIO_NAMESPACE).withLabel("app", ZTUNNEL_LABEL).list().getItems();
    }
}
