package dev.meshproof.conformance;

import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;
import dev.meshproof.mesh.GatewayApi;
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
 * {@code istio-proxy} of the DaemonSet's pods (label {@code app=ztunnel}, same template). Envoy proxies — waypoints
 * (pods labelled {@code gateway.networking.k8s.io/gateway-name}) and sidecars — serve their merged Prometheus
 * metrics on 15020 {@code /stats/prometheus} (istio/istio@1.29.6:pkg/istio-agent/metrics.go; the injection template's
 * {@code prometheus.io/path} annotation) and log from their {@code istio-proxy} container.
 */
public final class LiveMeshAccess implements MeshAccess {
    static final String ISTIO_NAMESPACE = "istio-system";
    static final String ZTUNNEL_LABEL = "ztunnel";
    /** ztunnel's container, and a sidecar's: both are named istio-proxy. */
    static final String PROXY_CONTAINER = "istio-proxy";
    static final int ZTUNNEL_STATS_PORT = 15020;
    /** The istio-agent's merged metrics (Envoy's and its own) of a waypoint or sidecar. */
    static final String ENVOY_STATS_PATH = "/stats/prometheus";
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
    public List<MetricsScrape> scrapeProxies(DataPlane dataPlane, java.util.Collection<String> namespaces, String label) {
        List<MetricsScrape> out = new ArrayList<>();
        if (dataPlane == DataPlane.AMBIENT) {
            ztunnels().forEach(pod -> scrape(pod, "/metrics", label).ifPresent(out::add));
        }
        envoys(dataPlane, namespaces).forEach(pod -> scrape(pod, ENVOY_STATS_PATH, label).ifPresent(out::add));
        return out;
    }

    private java.util.Optional<MetricsScrape> scrape(Pod pod, String path, String label) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        try {
            String body = client.raw("/api/v1/namespaces/" + ns + "/pods/" + name + ":" + ZTUNNEL_STATS_PORT + "/proxy" + path);
            return java.util.Optional.ofNullable(body).map(b -> new MetricsScrape(label, ns + "/" + name, pod.getSpec().getNodeName(), b));
        } catch (KubernetesClientException e) {
            Progress.info("cannot scrape " + ns + "/" + name + ":" + ZTUNNEL_STATS_PORT + path + ": " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** The Envoy proxies of {@code namespaces}: waypoints in ambient, sidecars otherwise. */
    private List<Pod> envoys(DataPlane dataPlane, java.util.Collection<String> namespaces) {
        List<Pod> out = new ArrayList<>();
        for (String ns : namespaces) {
            if (dataPlane == DataPlane.AMBIENT) {
                out.addAll(client.pods().inNamespace(ns).withLabel(GatewayApi.GATEWAY_NAME_LABEL).list().getItems());
            } else {
                // the sidecar container Istio injects (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/injection-template.yaml)
                client.pods().inNamespace(ns).list().getItems().stream()
                        .filter(p -> p.getSpec().getContainers().stream().anyMatch(c -> PROXY_CONTAINER.equals(c.getName())))
                        .forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public String get(String namespace, String app, int port, String pathAndQuery) {
        Pod pod = client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream().findFirst().orElse(null);
        if (pod == null) {
            Progress.info("GET " + namespace + "/" + app + ":" + port + pathAndQuery + ": no pod with app=" + app);
            return null;
        }
        try {
            return client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod.getMetadata().getName() + ":" + port + "/proxy" + pathAndQuery);
        } catch (KubernetesClientException e) {
            Progress.info("GET " + namespace + "/" + pod.getMetadata().getName() + ":" + port + pathAndQuery + " failed: " + e.getMessage());
            return null;
        }
    }

    @Override
    public List<LogCapture> proxyLogs(DataPlane dataPlane, java.util.Collection<String> namespaces, Instant since) {
        List<LogCapture> out = new ArrayList<>();
        List<Pod> proxies = new ArrayList<>();
        if (dataPlane == DataPlane.AMBIENT) {
            proxies.addAll(ztunnels());
        }
        proxies.addAll(envoys(dataPlane, namespaces));
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
