package dev.meshproof.suites;

import dev.meshproof.agent.call.CallResult;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;
import dev.meshproof.mesh.ExtensionProviders;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.suites.ScriptedMesh.Fault;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the L7 proxies' telemetry does, as Istio 1.29 would (the scripted mesh's part for the telemetry checks):
 * <ul>
 *   <li>spans, only where a {@code Telemetry} names the {@code meshproof-otel} provider (ambient: one targeting the
 *       waypoint; sidecars: one in the sidecar's namespace), for sampled traceparents only, with the request's trace id
 *       and the incoming span as parent (ambient: one SERVER span per waypoint; sidecars: a CLIENT span whose id is the
 *       SERVER span's parent), Envoy's tags; delivered to the collector only while its Deployment runs, served back as
 *       OTLP/JSON by {@link #get};</li>
 *   <li>access-log lines in Istio's default TEXT format, only where a {@code Telemetry} asks for the {@code envoy} provider;</li>
 *   <li>{@code istio_requests_total} counters (reporter waypoint / destination / source), always (Istio's default
 *       Prometheus provider).</li>
 * </ul>
 * Refusals (Envoy RBAC's 403) are {@link ScriptedWaypointAuthz}'s; this part only observes them.
 * Faults: {@link Fault#NO_SPANS}, {@link Fault#WRONG_PARENT}, {@link Fault#DUPLICATE_SPANS}, {@link Fault#NO_ACCESS_LOG},
 * {@link Fault#NO_L7_METRICS}.
 */
final class ScriptedTelemetry implements L7Behaviour {
    private static final String TELEMETRY = "telemetry.istio.io/v1";
    private final KubernetesClient k;
    private final Set<Fault> faults;
    private final Map<String, List<String>> spans = new LinkedHashMap<>();
    private final Map<String, List<String>> logs = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> requests = new LinkedHashMap<>();

    ScriptedTelemetry(KubernetesClient k, Set<Fault> faults) {
        this.k = k;
        this.faults = faults;
    }

    @Override
    public synchronized void observe(Request r, CallResult result) {
        boolean ambient = r.dataPlane() == DataPlane.AMBIENT;
        int status = result.status() == null ? 0 : result.status();
        boolean denied = status == 403 && result.echo() == null;
        String host = r.service() + "." + r.serverNamespace() + ".svc.cluster.local";
        String serverPod = ambient ? r.serverNamespace() + "/waypoint-6d4f9c8b7-wp1" : r.serverNamespace() + "/echo-v1-sidecar";
        String clientPod = r.clientNamespace() + "/" + r.client() + "-sidecar";
        String serverCluster = ambient ? "inbound-vip|" + r.port() + "|http|" + host : "inbound|" + r.port() + "||";
        String clientCluster = "outbound|" + r.port() + "||" + host;
        boolean clientSidecar = !ambient && r.principal() != null;

        String[] tp = r.header("traceparent") == null ? new String[0] : r.header("traceparent").split("-");
        if (tp.length == 4 && tp[3].endsWith("1") && collectorRunning() && !faults.contains(Fault.NO_SPANS)) {
            String parent = faults.contains(Fault.WRONG_PARENT) ? hex(16) : tp[2];
            if (clientSidecar && has(r.clientNamespace(), "tracing", null)) {
                String id = hex(16);
                span(tp[1], id, parent, 3, r, status, clientCluster);
                parent = id;
            } else if (clientSidecar) {
                parent = hex(16); // the client sidecar still starts a span, unexported
            }
            if (has(r.serverNamespace(), "tracing", ambient ? r.waypoint() : null)) {
                span(tp[1], hex(16), parent, 2, r, status, serverCluster);
            }
        }
        if (!faults.contains(Fault.NO_ACCESS_LOG)) {
            if (clientSidecar && has(r.clientNamespace(), "accessLogging", null)) {
                logs.computeIfAbsent(clientPod, x -> new ArrayList<>()).add(line(r, status, "via_upstream", "10.42.0.9:8080", clientCluster));
            }
            if (has(r.serverNamespace(), "accessLogging", ambient ? r.waypoint() : null)) {
                logs.computeIfAbsent(serverPod, x -> new ArrayList<>()).add(denied
                        ? line(r, 403, "rbac_access_denied_matched_policy[ns[" + r.serverNamespace() + "]-policy[deny-path]-rule[0]]", null, serverCluster)
                        : line(r, status, "via_upstream", ambient ? "envoy://connect_originate/10.42.0.9:8080" : "10.42.0.9:8080", serverCluster));
            }
        }
        if (!faults.contains(Fault.NO_L7_METRICS)) {
            count(serverPod, ambient ? "waypoint" : "destination", r, status);
            if (clientSidecar) {
                count(clientPod, "source", r, status);
            }
        }
    }

    private void count(String pod, String reporter, Request r, int status) {
        String labels = "reporter=\"" + reporter + "\",source_workload=\"" + r.client() + "\",source_canonical_service=\"" + r.client()
                + "\",source_canonical_revision=\"latest\",source_workload_namespace=\"" + r.clientNamespace() + "\",source_principal=\""
                + (r.principal() == null ? "unknown" : "spiffe://" + r.principal()) + "\",source_app=\"" + r.client() + "\",source_version=\"unknown\",source_cluster=\"Kubernetes\""
                + ",destination_workload=\"echo-v1\",destination_workload_namespace=\"" + r.serverNamespace() + "\",destination_principal=\"spiffe://cluster.local/ns/"
                + r.serverNamespace() + "/sa/echo\",destination_app=\"echo\",destination_version=\"v1\",destination_service=\"" + r.service() + "." + r.serverNamespace()
                + ".svc.cluster.local\",destination_canonical_service=\"echo\",destination_canonical_revision=\"v1\",destination_service_name=\"" + r.service()
                + "\",destination_service_namespace=\"" + r.serverNamespace() + "\",destination_cluster=\"Kubernetes\",request_protocol=\"http\",response_code=\"" + status
                + "\",grpc_response_status=\"\",response_flags=\"-\",connection_security_policy=\"" + (r.principal() == null ? "none" : "mutual_tls") + "\"";
        requests.computeIfAbsent(pod, x -> new LinkedHashMap<>()).merge(labels, 1L, Long::sum);
    }

    /** Istio's default TEXT access-log format (istio/istio@1.29.6:pilot/pkg/model/telemetry_logging.go EnvoyTextLogFormat). */
    private static String line(Request r, int status, String details, String upstreamHost, String cluster) {
        return "[" + Instant.now() + "] \"" + r.method() + " " + r.path() + " HTTP/1.1\" " + status + " - " + details + " - \"-\" 0 " + (status == 403 ? 19 : 240) + " 1 "
                + (status == 403 ? "-" : "1") + " \"-\" \"Java-http-client/21\" \"" + r.header("x-request-id") + "\" \"" + r.service() + "." + r.serverNamespace()
                + ".svc.cluster.local:" + r.port() + "\" \"" + (upstreamHost == null ? "-" : upstreamHost) + "\" " + cluster + " 10.42.0.7:51234 10.43.0.10:" + r.port()
                + " 10.42.0.8:40000 - default";
    }

    private void span(String traceId, String spanId, String parent, int kind, Request r, int status, String cluster) {
        String json = "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"parentSpanId\":\"" + parent + "\",\"name\":\"" + r.service() + "." + r.serverNamespace()
                + ".svc.cluster.local:" + r.port() + "/*\",\"kind\":" + kind + ",\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\","
                + "\"attributes\":[" + attr("component", "proxy") + "," + attr("http.method", r.method()) + "," + attr("http.status_code", String.valueOf(status)) + ","
                + attr("upstream_cluster", cluster) + "," + attr("guid:x-request-id", r.header("x-request-id")) + "],\"status\":{}}";
        int copies = faults.contains(Fault.DUPLICATE_SPANS) ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            spans.computeIfAbsent(traceId, x -> new ArrayList<>()).add(json);
        }
    }

    private static String attr(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
    }

    @Override
    public synchronized String get(String namespace, String app, int port, String pathAndQuery) {
        if (!ExtensionProviders.COLLECTOR_NAMESPACE.equals(namespace) || !ExtensionProviders.COLLECTOR.equals(app) || !collectorRunning()
                || !pathAndQuery.startsWith("/otlp/spans?traceId=")) {
            return null;
        }
        String traceId = pathAndQuery.substring("/otlp/spans?traceId=".length()).toLowerCase(java.util.Locale.ROOT);
        List<String> mine = spans.getOrDefault(traceId, List.of());
        return mine.isEmpty() ? "{\"resourceSpans\":[]}" : "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + attr("service.name", "waypoint") + "]},"
                + "\"scopeSpans\":[{\"scope\":{},\"spans\":[" + String.join(",", mine) + "]}]}]}";
    }

    @Override
    public synchronized List<MetricsScrape> scrapes(DataPlane dataPlane, String label) {
        List<MetricsScrape> out = new ArrayList<>();
        requests.forEach((pod, series) -> {
            StringBuilder body = new StringBuilder("# TYPE istio_requests_total counter\n");
            series.forEach((labels, n) -> body.append("istio_requests_total{").append(labels).append("} ").append(n).append('\n'));
            out.add(new MetricsScrape(label, pod, "k3s-node-1", body.toString()));
        });
        return out;
    }

    @Override
    public synchronized List<LogCapture> logs(DataPlane dataPlane) {
        List<LogCapture> out = new ArrayList<>();
        logs.forEach((pod, lines) -> out.add(new LogCapture(pod, "2024-05-04T10:00:00.000000Z\tinfo\tEnvoy proxy is ready\n" + String.join("\n", lines) + "\n")));
        return out;
    }

    private boolean collectorRunning() {
        Deployment d = k.apps().deployments().inNamespace(ExtensionProviders.COLLECTOR_NAMESPACE).withName(ExtensionProviders.COLLECTOR).get();
        return d != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0
                && k.services().inNamespace(ExtensionProviders.COLLECTOR_NAMESPACE).withName(ExtensionProviders.COLLECTOR).get() != null;
    }

    /** A Telemetry in {@code ns} with {@code field} (tracing, accessLogging) naming our provider, for the waypoint {@code waypoint} (null: namespace-wide). */
    @SuppressWarnings("unchecked")
    private boolean has(String ns, String field, String waypoint) {
        for (GenericKubernetesResource t : IstioKinds.list(k, TELEMETRY, "Telemetry", ns)) {
            Map<String, Object> spec = (Map<String, Object>) t.getAdditionalProperties().get("spec");
            boolean applies = waypoint == null ? spec.get("targetRefs") == null && spec.get("selector") == null : targets(spec, waypoint);
            String provider = field.equals("tracing") ? ExtensionProviders.MESHPROOF_OTEL : "envoy";
            if (applies && String.valueOf(spec.get(field)).contains("name=" + provider + "}")) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static boolean targets(Map<String, Object> spec, String waypoint) {
        return waypoint != null && spec.get("targetRefs") instanceof List<?> refs
                && refs.stream().anyMatch(ref -> "Gateway".equals(((Map<String, Object>) ref).get("kind")) && waypoint.equals(((Map<String, Object>) ref).get("name")));
    }

    private static String hex(int digits) {
        return String.format("%016x", ThreadLocalRandom.current().nextLong() | 1).substring(0, digits);
    }
}
