package dev.meshproof.verdict;

import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.evidence.OtlpSpans;
import dev.meshproof.evidence.OtlpSpans.Span;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges the spans a collector received for the check's requests (recorded as {@code collected/spans-<traceId>.json},
 * OTLP/JSON), each request matched by the trace id of the {@code traceparent} it was sent with.
 *
 * <p>What Istio's Envoys emit, per request (L7 proxies only; ztunnel has no tracer): in ambient one span per waypoint
 * ("In ambient mode with waypoints, one span is generated per waypoint", istio/istio.io
 * {@code ambient/migrate/enable-ambient-mode}); with sidecars two, a CLIENT span from the client's sidecar and a SERVER
 * span from the server's ("each hop generates two spans", same page). Envoy's OpenTelemetry tracer keeps the incoming
 * trace id and takes the incoming parent id as the span's parent, then injects its own span id upstream
 * (envoyproxy/envoy {@code source/extensions/tracers/opentelemetry/tracer.cc}), so: the first hop's parent is the
 * span id the client sent, the server sidecar's parent is the client sidecar's span. Envoy's tags
 * ({@code source/common/tracing/common_values.h}): {@code http.method}, {@code http.status_code}, {@code upstream_cluster}
 * ({@code upstream_cluster.name}), {@code guid:x-request-id}; the semantic-convention names {@code http.request.method},
 * {@code http.response.status_code} are accepted too. Upstream clusters are Istio's subset keys
 * ({@code istio/istio@1.29.6:pilot/pkg/model/service.go BuildSubsetKey, BuildInboundSubsetKey}):
 * {@code outbound|<port>||<host>} (client sidecar), {@code inbound|<port>||} (server sidecar),
 * {@code inbound-vip|<port>|http|<host>} (waypoint).
 *
 * <ul>
 *   <li>a traced request without its expected spans, with an extra (duplicated) span, a broken parent link or a wrong
 *       attribute: FAIL;</li>
 *   <li>a span for a control request (sent before the Telemetry existed, or with an unsampled traceparent): FAIL;</li>
 *   <li>no collected answer for a request (collector down or unreachable), or no traced request at all: INCONCLUSIVE
 *       — absent spans never pass;</li>
 *   <li>spans of other traces in a file are ignored (they are not this request's).</li>
 * </ul>
 */
public final class TraceLinks {
    public static final String CLIENT = "SPAN_KIND_CLIENT";
    public static final String SERVER = "SPAN_KIND_SERVER";

    private TraceLinks() {
    }

    /** The collected file holding the spans of {@code traceId}. */
    public static String collectedName(String traceId) {
        return "spans-" + traceId + ".json";
    }

    /** The requests of {@code traced} must each have their spans; those of {@code controls} none. */
    public static Verdict judge(Evidence e, Step traced, Step... controls) {
        boolean sidecar = "sidecar".equals(e.facts().dataPlane());
        List<StampedCalls.Call> calls = StampedCalls.of(e, traced.name());
        if (calls.isEmpty()) {
            return Verdict.inconclusive("traces: no request of '" + traced.name() + "' was recorded");
        }
        List<Verdict> parts = new ArrayList<>();
        int ok = 0;
        for (StampedCalls.Call c : calls) {
            if (c.traceId() == null || c.parentId() == null || !c.sampled()) {
                parts.add(Verdict.inconclusive("traces: " + c.describe() + " was not sent with a sampled traceparent (" + c.traceparent() + ")"));
                continue;
            }
            Optional<List<Span>> spans = spans(e, c.traceId());
            if (spans.isEmpty()) {
                parts.add(Verdict.inconclusive("traces: the collector's spans of trace " + c.traceId() + " (" + c.describe() + ") were not collected: "
                        + "absent spans cannot be judged"));
                continue;
            }
            String problem = sidecar ? sidecarHops(c, spans.get()) : waypointHop(c, spans.get());
            if (problem != null) {
                parts.add(Verdict.fail("traces: " + c.describe() + ", trace " + c.traceId() + ": " + problem));
            } else {
                ok++;
            }
        }
        for (Step control : controls) {
            for (StampedCalls.Call c : StampedCalls.of(e, control.name())) {
                if (c.traceId() == null) {
                    continue;
                }
                Optional<List<Span>> spans = spans(e, c.traceId());
                if (spans.isEmpty()) {
                    parts.add(Verdict.inconclusive("traces: control '" + control.name() + "': the collector was not read for trace " + c.traceId()
                            + ", so the absence of its spans is not shown"));
                } else if (!spans.get().isEmpty()) {
                    parts.add(Verdict.fail("traces: control '" + control.name() + "': " + spans.get().size() + " span(s) arrived for " + c.describe()
                            + ", trace " + c.traceId() + ", which must not be traced"));
                }
            }
        }
        if (ok > 0) {
            parts.add(Verdict.pass("traces: " + ok + " request(s) each with " + (sidecar ? "a CLIENT span (client sidecar) and a SERVER span (server sidecar) linked"
                    : "exactly one waypoint span") + " to the client's span, with method, status, upstream cluster and x-request-id"));
        }
        return Verdict.all(parts);
    }

    /** The spans of {@code traceId} in its collected file (other traces' spans left out), or empty when not collected. */
    static Optional<List<Span>> spans(Evidence e, String traceId) {
        String name = collectedName(traceId);
        return e.collected(name).map(body -> {
            try {
                return OtlpSpans.parse(body).stream().filter(s -> s.traceId().equals(traceId)).toList();
            } catch (IllegalArgumentException x) {
                throw new MalformedEvidenceException("collected/" + name, x.getMessage(), x);
            }
        });
    }

    private static String waypointHop(StampedCalls.Call c, List<Span> spans) {
        if (spans.size() != 1) {
            return spans.isEmpty() ? "no span arrived (expected one from the waypoint)" : spans.size() + " spans, expected exactly one from the waypoint (duplicated or extra)";
        }
        Span s = spans.get(0);
        if (!s.parentSpanId().equals(c.parentId())) {
            return "the waypoint span's parent is '" + s.parentSpanId() + "', not the span id the client sent (" + c.parentId() + ")";
        }
        return attributes(c, s, "inbound-vip|" + c.port() + "|", "|" + c.host());
    }

    private static String sidecarHops(StampedCalls.Call c, List<Span> spans) {
        List<Span> clients = spans.stream().filter(s -> CLIENT.equals(s.kind())).toList();
        List<Span> servers = spans.stream().filter(s -> SERVER.equals(s.kind())).toList();
        if (clients.size() != 1 || servers.size() != 1 || spans.size() != 2) {
            return spans.size() + " span(s) (" + clients.size() + " CLIENT, " + servers.size() + " SERVER), expected exactly one CLIENT span from the client's sidecar"
                    + " and one SERVER span from the server's";
        }
        Span client = clients.get(0);
        Span server = servers.get(0);
        if (!client.parentSpanId().equals(c.parentId())) {
            return "the client sidecar's span's parent is '" + client.parentSpanId() + "', not the span id the client sent (" + c.parentId() + ")";
        }
        if (!server.parentSpanId().equals(client.spanId())) {
            return "the server sidecar's span's parent is '" + server.parentSpanId() + "', not the client sidecar's span (" + client.spanId() + ")";
        }
        String problem = attributes(c, client, "outbound|" + c.port() + "||" + c.host(), "");
        return problem != null ? "client span: " + problem : Optional.ofNullable(attributes(c, server, "inbound|" + c.port() + "||", ""))
                .map(p -> "server span: " + p).orElse(null);
    }

    /** Method, status, x-request-id, and an upstream cluster that starts with {@code clusterPrefix} and ends with {@code clusterSuffix}. */
    private static String attributes(StampedCalls.Call c, Span s, String clusterPrefix, String clusterSuffix) {
        String method = s.attribute("http.method", "http.request.method");
        if (!c.method().equals(method)) {
            return "http.method is " + quote(method) + ", not " + c.method();
        }
        String status = s.attribute("http.status_code", "http.response.status_code");
        if (!Objects.equals(String.valueOf(c.status()), status)) {
            return "http.status_code is " + quote(status) + ", not the " + c.status() + " the client received";
        }
        String rid = s.attribute("guid:x-request-id");
        if (!Objects.equals(c.requestId(), rid)) {
            return "guid:x-request-id is " + quote(rid) + ", not the request's " + c.requestId();
        }
        String cluster = s.attribute("upstream_cluster", "upstream_cluster.name");
        if (cluster == null || !cluster.startsWith(clusterPrefix) || !cluster.endsWith(clusterSuffix)) {
            return "upstream_cluster is " + quote(cluster) + ", not " + clusterPrefix + (clusterSuffix.isEmpty() ? "" : "…" + clusterSuffix);
        }
        return null;
    }

    private static String quote(String v) {
        return v == null ? "absent" : "'" + v + "'";
    }
}
