package dev.meshproof.suites;

import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.CallStamp;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.MeshAccess;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;
import dev.meshproof.mesh.FakeWaypointController;
import dev.meshproof.mesh.GatewayApi;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.mesh.Waypoints;
import dev.meshproof.verdict.CallExpectation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays Istio for the checks on the fabric8 mock API server: istio-cni (annotates the pods of ambient namespaces as
 * captured), and the data plane that answers the clients' calls from the policies that exist on the API server —
 * STRICT PeerAuthentication refuses plaintext clients, AuthorizationPolicies allow and deny by principal,
 * namespace and port, refusals take each data plane's forms (ambient: reset and closed in turn; sidecar: HTTP 403
 * {@code RBAC: access denied}, TCP reset). It keeps ztunnel's counters and access log and serves them in ztunnel's
 * formats (label names and order of istio/ztunnel@1.29.6:src/proxy/metrics.rs, see
 * harness/src/test/resources/upstream/README.md). It plays istiod's waypoint controller ({@link FakeWaypointController})
 * and, for HTTP requests an L7 proxy is in the path of (a ready waypoint the Service or namespace is bound to in
 * ambient, the sidecars in sidecar mode), the {@link L7Behaviour}s of {@link #l7Behaviours}. Without a route, the
 * Service {@code echo} spreads requests over the versions deployed, as kube-proxy would. Each {@link Fault} makes it
 * misbehave the way a broken mesh would.
 */
public final class ScriptedMesh implements MeshAccess, AutoCloseable {

    public enum Fault {
        /** Policies are never enforced: everything is admitted (a mesh that ignores STRICT and AuthorizationPolicies). */
        IGNORES_POLICIES,
        /** Refuses everything, policy or not (the controls must catch it). */
        REFUSES_EVERYTHING,
        /** ztunnel serves no istio_tcp_* family at all. */
        NO_METRICS,
        /** ztunnel reports the pair's connections with connection_security_policy="unknown". */
        PLAINTEXT_METRICS,
        /** ztunnel logs nothing. */
        NO_LOGS,
        /** The sidecar hands requests to the application without X-Forwarded-Client-Cert. */
        NO_CLIENT_CERT,
        /** A policy takes effect only from its third evaluation on (slow propagation: the check must converge). */
        SLOW_PROPAGATION,
        /** One call after a policy took effect still gets through: its fourth evaluation, i.e. the hold's first observation at two calls per observation. */
        FLAPS,
        /** The L7 proxies export no span. */
        NO_SPANS,
        /** The L7 proxies' spans name a parent other than the span the request came from. */
        WRONG_PARENT,
        /** The L7 proxies export every span twice. */
        DUPLICATE_SPANS,
        /** The L7 proxies write no access-log line. */
        NO_ACCESS_LOG,
        /** The L7 proxies count no request in istio_requests_total. */
        NO_L7_METRICS,
        /** Waypoints and sidecars never enforce AuthorizationPolicies with HTTP attributes (their L7 rules): every request passes. */
        IGNORES_L7_POLICIES,
        /** The L7 proxy refuses with a 503 local reply instead of Envoy RBAC's 403 {@code RBAC: access denied}. */
        L7_DENIES_WITH_503,
        /** ztunnel keeps the L4 part of an ALLOW rule that has HTTP attributes instead of dropping the rule (fails open). */
        ZTUNNEL_KEEPS_L7_ALLOW_RULES,
        /** istiod writes no status on AuthorizationPolicies (its ambient status writer is off). */
        NO_POLICY_STATUS,
        /** The L7 proxies never apply a route (HTTPRoute or VirtualService): the Service spreads requests as without one. */
        IGNORES_ROUTES,
        /** istiod reports every HTTPRoute Accepted False (NoMatchingParent) and does not program it. */
        ROUTE_NOT_ACCEPTED,
        /** Weighted backends are chosen evenly, whatever their weights (a 50/50 split for 80/20). */
        SKEWED_SPLIT
    }

    private static final String ZTUNNEL_POD = "istio-system/ztunnel-x7k2p";
    private final KubernetesClient k;
    private final Set<Fault> faults;
    private final Map<String, Long> opened = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, AtomicInteger> policyEvaluations = new LinkedHashMap<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final Watch cni;
    private final java.util.concurrent.atomic.AtomicLong lastPodEvent = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    private final Watch istiodWaypoints;
    private final Watch istiodPolicyStatus;
    private final List<L7Behaviour> l7;
    private final Map<String, AtomicInteger> spread = new LinkedHashMap<>();

    public ScriptedMesh(KubernetesClient k, Fault... faults) {
        this.k = k;
        this.faults = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.of(faults[0], faults);
        this.l7 = l7Behaviours(k, this.faults);
        this.istiodWaypoints = FakeWaypointController.start(k, true);
        this.istiodPolicyStatus = ScriptedPolicyStatus.start(k, this.faults);
        this.cni = k.pods().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                lastPodEvent.set(System.nanoTime());
                if (action == Action.ADDED && "ambient".equals(label(pod.getMetadata().getNamespace(), "istio.io/dataplane-mode"))) {
                    k.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                            .edit(p -> {
                                if (p.getMetadata().getAnnotations() == null) {
                                    p.getMetadata().setAnnotations(new LinkedHashMap<>());
                                }
                                p.getMetadata().getAnnotations().put("ambient.istio.io/redirection", "enabled");
                                return p;
                            });
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    /** How many calls the clients made (a mesh test asserts traffic really went through the fake). */
    public int calls() {
        return calls.get();
    }

    /** What the L7 proxies do, each part reading its own configuration from the API server. */
    private static List<L7Behaviour> l7Behaviours(KubernetesClient k, Set<Fault> faults) {
        return List.of(new ScriptedWaypointAuthz(k, faults), new ScriptedRouting(k, faults), new ScriptedTelemetry(k, faults));
    }

    @Override
    public void close() {
        // The mock API server blocks its event loop while it closes a watch whose events are still being sent
        // (io.fabric8:kubernetes-server-mock 8.0.0 WatchEventsListener.onClosed awaits its sender, which needs that
        // loop: every request then times out for up to a minute). The check's cleanup has just deleted its pods: close
        // the watches only once their events have stopped arriving.
        org.awaitility.Awaitility.await("the mock API server's pod events delivered (none for 300 ms)").atMost(java.time.Duration.ofSeconds(15))
                .pollInterval(java.time.Duration.ofMillis(50)).until(() -> System.nanoTime() - lastPodEvent.get() > 300_000_000L);
        istiodWaypoints.close();
        istiodPolicyStatus.close();
        l7.stream().filter(AutoCloseable.class::isInstance).forEach(b -> {
            try {
                ((AutoCloseable) b).close(); // a behaviour that watches the API server (e.g. a status writer)
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cni.close();
    }

    // ---- the data plane ----

    @Override
    public Caller caller(String namespace, String name, Scope scope) {
        return request -> {
            List<CallResult> results = new ArrayList<>();
            for (int i = 0; i < (request.count() == null ? 1 : request.count()); i++) {
                results.add(call(namespace, name, request));
            }
            Map<Outcome, Integer> summary = new java.util.EnumMap<>(Outcome.class);
            results.forEach(r -> summary.merge(r.outcome(), 1, Integer::sum));
            try {
                return Json.MAPPER.writeValueAsString(new CallResponse(results, summary, 1000));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private synchronized CallResult call(String clientNs, String client, CallRequest request) {
        calls.incrementAndGet();
        URI url = URI.create(request.url());
        String service = url.getHost().split("\\.")[0];
        String serverNs = url.getHost().split("\\.")[1];
        int port = url.getPort();
        boolean tcp = url.getScheme().equals("tcp");
        boolean clientInMesh = enrolled(clientNs);
        DataPlane plane = "ambient".equals(label(serverNs, "istio.io/dataplane-mode")) ? DataPlane.AMBIENT : DataPlane.SIDECAR;
        String principal = clientInMesh ? "cluster.local/ns/" + clientNs + "/sa/" + client : null;
        String refusal = faults.contains(Fault.REFUSES_EVERYTHING) ? "broken" : faults.contains(Fault.IGNORES_POLICIES) ? null
                : refusal(serverNs, clientNs, principal, port, plane, tcp);
        if (plane == DataPlane.AMBIENT) {
            count(clientNs, client, serverNs, clientInMesh);
            log(clientNs, client, serverNs, clientInMesh, port, refusal);
        }
        if (refusal != null) {
            boolean l7 = plane == DataPlane.SIDECAR && !tcp && !refusal.startsWith("strict");
            if (l7) {
                return new CallResult(Outcome.HTTP_ERROR, 403, 900, null, CallExpectation.RBAC_DENIED_BODY, null, null);
            }
            boolean reset = plane == DataPlane.SIDECAR ? tcp : refusals.incrementAndGet() % 2 == 0;
            return CallResult.class.cast(new CallResult(reset ? Outcome.RESET : Outcome.CLOSED, null, 700, null, null, null,
                    reset ? "java.net.SocketException: Connection reset" : "dev.meshproof.agent.call.PeerClosedException: connection closed before a complete reply"));
        }
        if (tcp) {
            return new CallResult(Outcome.OK, null, 500, null, null, "meshproof-ping", null);
        }
        Map<String, String> stamp = Boolean.TRUE.equals(request.stamp())
                ? CallStamp.fresh(request.headers() == null ? Map.of() : request.headers()) : Map.of(); // as the agent stamps
        Map<String, String> sent = new LinkedHashMap<>();
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> sent.put(name.toLowerCase(java.util.Locale.ROOT), value));
        }
        sent.putAll(stamp);
        String waypoint = plane == DataPlane.AMBIENT ? waypoint(serverNs, service) : null;
        boolean l7Proxy = plane == DataPlane.AMBIENT ? waypoint != null : clientInMesh || enrolled(serverNs);
        L7Behaviour.Request seen = new L7Behaviour.Request(clientNs, client, principal, serverNs, service, port,
                request.method() == null ? "GET" : request.method(), url.getPath(), Map.copyOf(sent), plane, waypoint);
        List<String> versions = versions(serverNs);
        if (l7Proxy) {
            for (L7Behaviour b : l7) {
                CallResult answer = b.answer(seen);
                if (answer != null) {
                    CallResult result = answer.stamped(stamp);
                    l7.forEach(o -> o.observe(seen, result));
                    return result;
                }
            }
        }
        if (!url.getPath().equals("/echo") && !url.getPath().startsWith("/echo/")) {
            // the agent routes /echo[/...] only (AgentHttpHandler): a check calling another path gets the agent's 404, as live
            return new CallResult(Outcome.HTTP_ERROR, 404, 700, null, "no route for " + url.getPath(), null, null).stamped(stamp);
        }
        String version = l7Proxy ? l7.stream().map(b -> b.route(seen, versions)).filter(java.util.Objects::nonNull).findFirst().orElse(null) : null;
        if (version == null) {
            version = service.startsWith("echo-") ? service.substring("echo-".length())
                    : versions.get(Math.floorMod(spread.computeIfAbsent(serverNs, x -> new AtomicInteger()).getAndIncrement(), versions.size()));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of(url.getHost() + ":" + port));
        sent.forEach((name, value) -> headers.put(name, List.of(value)));
        if (plane == DataPlane.SIDECAR && clientInMesh && !faults.contains(Fault.NO_CLIENT_CERT)) {
            headers.put("x-forwarded-client-cert", List.of("By=spiffe://cluster.local/ns/" + serverNs + "/sa/echo;Hash=4f5e7f9d3c1b;Subject=\"\";URI=spiffe://"
                    + principal));
        }
        EchoReply echo = new EchoReply(seen.method(), url.getPath(), url.getQuery(), "HTTP/1.1", headers, serverPod(serverNs, version), serverNs, "echo", version,
                "10.42.0.9", 40000, null);
        CallResult result = new CallResult(Outcome.OK, 200, 800, echo, null, null, null).stamped(stamp);
        if (l7Proxy) {
            l7.forEach(o -> o.observe(seen, result));
        }
        return result;
    }

    /**
     * The ready waypoint the Service or, failing a Service label, the namespace is bound to (a Service label beats a
     * namespace label); null when none or when its Gateway or pod is gone — ztunnel then sends traffic straight to the
     * pod (istio/istio@1.29.6:pilot/pkg/serviceregistry/kube/controller/ambient/waypoints.go fetchWaypointForTarget).
     */
    private String waypoint(String ns, String service) {
        io.fabric8.kubernetes.api.model.Service svc = k.services().inNamespace(ns).withName(service).get();
        String name = svc == null || svc.getMetadata().getLabels() == null ? null : svc.getMetadata().getLabels().get(Waypoints.USE_WAYPOINT);
        if (name == null) {
            Namespace n = k.namespaces().withName(ns).get();
            name = n == null || n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(Waypoints.USE_WAYPOINT);
        }
        if (name == null || IstioKinds.operations(k, GatewayApi.API_VERSION, "Gateway").inNamespace(ns).withName(name).get() == null) {
            return null;
        }
        return k.pods().inNamespace(ns).withLabel(GatewayApi.GATEWAY_NAME_LABEL, name).list().getItems().isEmpty() ? null : name;
    }

    /** The versions of the echo server deployed in {@code ns} (pod label {@code version}), in order. */
    private List<String> versions(String ns) {
        List<String> out = k.pods().inNamespace(ns).withLabel("app", "echo").list().getItems().stream()
                .map(p -> p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get("version"))
                .filter(java.util.Objects::nonNull).distinct().sorted().toList();
        return out.isEmpty() ? List.of("v1") : out;
    }

    /** Null when admitted; else why it is refused. */
    private String refusal(String serverNs, String clientNs, String principal, int port, DataPlane plane, boolean tcp) {
        for (GenericKubernetesResource pa : list(serverNs, "PeerAuthentication")) {
            if ("STRICT".equals(path(pa, "spec", "mtls", "mode")) && principal == null && inEffect(pa)) {
                return "strict: explicitly denied by: istio-system/istio_converted_static_strict";
            }
        }
        List<GenericKubernetesResource> policies = ScriptedAuthorization.atL4(list(serverNs, "AuthorizationPolicy"), plane, tcp,
                faults.contains(Fault.ZTUNNEL_KEEPS_L7_ALLOW_RULES)).stream().filter(this::inEffect).toList();
        for (GenericKubernetesResource p : policies) {
            if ("DENY".equals(path(p, "spec", "action")) && anyRuleMatches(p, clientNs, principal, port)) {
                return "explicitly denied by: " + serverNs + "/" + p.getMetadata().getName();
            }
        }
        List<GenericKubernetesResource> allow = policies.stream().filter(p -> !"DENY".equals(path(p, "spec", "action"))).toList();
        if (!allow.isEmpty() && allow.stream().noneMatch(p -> anyRuleMatches(p, clientNs, principal, port))) {
            return "allow policies exist, but none allowed";
        }
        return null;
    }

    /** SLOW_PROPAGATION: not before the third evaluation; FLAPS: in effect, except at the fourth evaluation. */
    private boolean inEffect(GenericKubernetesResource policy) {
        int n = policyEvaluations.computeIfAbsent(policy.getMetadata().getNamespace() + "/" + policy.getKind() + "/" + policy.getMetadata().getName()
                + "/" + policy.getMetadata().getResourceVersion(), x -> new AtomicInteger()).incrementAndGet();
        if (faults.contains(Fault.SLOW_PROPAGATION)) {
            return n > 2;
        }
        if (faults.contains(Fault.FLAPS)) {
            return n != 4;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean anyRuleMatches(GenericKubernetesResource p, String clientNs, String principal, int port) {
        Object rules = path(p, "spec", "rules");
        if (!(rules instanceof List<?> list)) {
            return false; // no rules: matches nothing (allow-nothing)
        }
        for (Object r : list) {
            Map<String, Object> rule = (Map<String, Object>) r;
            boolean from = true;
            boolean to = true;
            if (rule.get("from") instanceof List<?> froms) {
                from = froms.stream().anyMatch(f -> {
                    Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) f).get("source");
                    List<String> principals = (List<String>) source.get("principals");
                    List<String> namespaces = (List<String>) source.get("namespaces");
                    return (principals == null || principal != null && principals.contains(principal))
                            && (namespaces == null || principal != null && namespaces.contains(clientNs));
                });
            }
            if (rule.get("to") instanceof List<?> tos) {
                to = tos.stream().anyMatch(t -> {
                    Map<String, Object> op = (Map<String, Object>) ((Map<String, Object>) t).get("operation");
                    List<String> ports = (List<String>) op.get("ports");
                    return ports == null || ports.contains(String.valueOf(port));
                });
            }
            if (from && to) {
                return true;
            }
        }
        return false;
    }

    // ---- ztunnel's metrics and log ----

    private void count(String clientNs, String client, String serverNs, boolean mtls) {
        String policy = mtls && !faults.contains(Fault.PLAINTEXT_METRICS) ? "mutual_tls" : "unknown";
        String source = mtls || faults.contains(Fault.PLAINTEXT_METRICS) ? "spiffe://cluster.local/ns/" + clientNs + "/sa/" + client : "unknown";
        String labels = "reporter=\"destination\",source_workload=\"" + client + "\",source_canonical_service=\"" + client
                + "\",source_canonical_revision=\"latest\",source_workload_namespace=\"" + clientNs + "\",source_principal=\"" + source
                + "\",source_app=\"" + client + "\",source_version=\"latest\",source_cluster=\"Kubernetes\",destination_service=\"echo." + serverNs
                + ".svc.cluster.local\",destination_service_namespace=\"" + serverNs + "\",destination_service_name=\"echo\",destination_workload=\"echo-v1\""
                + ",destination_canonical_service=\"echo\",destination_canonical_revision=\"v1\",destination_workload_namespace=\"" + serverNs
                + "\",destination_principal=\"spiffe://cluster.local/ns/" + serverNs + "/sa/echo\",destination_app=\"echo\",destination_version=\"v1\""
                + ",destination_cluster=\"Kubernetes\",request_protocol=\"tcp\",response_flags=\"-\",connection_security_policy=\"" + policy
                + "\",source_region=\"unknown\",source_zone=\"unknown\",destination_region=\"unknown\",destination_zone=\"unknown\"";
        opened.merge(labels, 1L, Long::sum);
    }

    private void log(String clientNs, String client, String serverNs, boolean mtls, int port, String refusal) {
        String identity = mtls ? " src.identity=\"spiffe://cluster.local/ns/" + clientNs + "/sa/" + client + "\"" : "";
        String dstIdentity = mtls ? " dst.identity=\"spiffe://cluster.local/ns/" + serverNs + "/sa/echo\"" : "";
        String dstAddr = mtls ? "10.42.0.5:15008 dst.hbone_addr=10.42.0.5:" + port : "10.42.0.5:" + port;
        log.add(Instant.now() + "\t" + (refusal == null ? "info" : "error") + "\taccess\tconnection complete\tsrc.addr=10.42.0.9:" + (40000 + log.size())
                + " src.workload=\"" + pod(clientNs, client) + "\" src.namespace=\"" + clientNs + "\"" + identity + " dst.addr=" + dstAddr
                + " dst.service=\"echo." + serverNs + ".svc.cluster.local\" dst.workload=\"" + pod(serverNs, "echo") + "\" dst.namespace=\"" + serverNs + "\""
                + dstIdentity + " direction=\"inbound\" bytes_sent=" + (refusal == null ? 175 : 0) + " bytes_recv=" + (refusal == null ? 80 : 0)
                + " duration=\"1ms\"" + (refusal == null ? "" : " error=\"connection closed due to policy rejection: " + refusal.replaceFirst("^strict: ", "") + "\""));
    }

    @Override
    public synchronized List<MetricsScrape> scrapeProxies(DataPlane dataPlane, java.util.Collection<String> namespaces, String label) {
        List<MetricsScrape> l7Proxies = new ArrayList<>();
        l7.forEach(b -> l7Proxies.addAll(b.scrapes(dataPlane, label)));
        if (dataPlane != DataPlane.AMBIENT) {
            return l7Proxies;
        }
        StringBuilder body = new StringBuilder();
        if (!opened.isEmpty() && !faults.contains(Fault.NO_METRICS)) {
            body.append("# HELP istio_tcp_connections_opened The total number of TCP connections opened.\n");
            body.append("# TYPE istio_tcp_connections_opened counter\n");
            opened.forEach((labels, n) -> body.append("istio_tcp_connections_opened_total{").append(labels).append("} ").append(n).append('\n'));
        }
        body.append("# HELP istio_xds_connection_terminations The total number of completed connections to xds server (unstable).\n");
        body.append("# TYPE istio_xds_connection_terminations counter\n");
        body.append("istio_xds_connection_terminations_total{reason=\"Reconnect\"} 1\n");
        body.append("# EOF\n");
        l7Proxies.add(0, new MetricsScrape(label, ZTUNNEL_POD, "k3s-node-1", body.toString()));
        return l7Proxies;
    }

    @Override
    public synchronized List<LogCapture> proxyLogs(DataPlane dataPlane, java.util.Collection<String> namespaces, Instant since) {
        List<LogCapture> out = new ArrayList<>();
        if (dataPlane == DataPlane.AMBIENT && !faults.contains(Fault.NO_LOGS)) {
            out.add(new LogCapture(ZTUNNEL_POD, String.join("\n", log) + "\n"));
        }
        l7.forEach(b -> out.addAll(b.logs(dataPlane)));
        return out;
    }

    @Override
    public String get(String namespace, String app, int port, String pathAndQuery) {
        return l7.stream().map(b -> b.get(namespace, app, port, pathAndQuery)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    // ---- the API server's state ----

    /** Pod names and namespace labels do not change during a check: read once each (fewer requests to the mock server). */
    private final Map<String, String> pods = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new java.util.concurrent.ConcurrentHashMap<>();

    /** The pod of the echo server's {@code version} in {@code ns}. */
    private String serverPod(String ns, String version) {
        return pods.computeIfAbsent(ns + "/echo/" + version, x -> k.pods().inNamespace(ns).withLabel("app", "echo").withLabel("version", version)
                .list().getItems().stream().map(p -> p.getMetadata().getName()).findFirst().orElse("echo-" + version + "-unknown"));
    }

    private String pod(String ns, String app) {
        String cached = pods.get(ns + "/" + app);
        if (cached != null) {
            return cached;
        }
        return k.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream().map(p -> p.getMetadata().getName()).findFirst()
                .map(name -> {
                    pods.put(ns + "/" + app, name);
                    return name;
                }).orElse(app + "-unknown");
    }

    private boolean enrolled(String ns) {
        return "ambient".equals(label(ns, "istio.io/dataplane-mode")) || "enabled".equals(label(ns, "istio-injection"));
    }

    private String label(String ns, String key) {
        return namespaceLabels.computeIfAbsent(ns, x -> {
            Namespace n = k.namespaces().withName(ns).get();
            return n == null || n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels());
        }).get(key);
    }

    private List<GenericKubernetesResource> list(String ns, String kind) {
        return IstioKinds.list(k, "security.istio.io/v1", kind, ns);
    }

    @SuppressWarnings("unchecked")
    private static Object path(GenericKubernetesResource r, String... keys) {
        Object cur = r.getAdditionalProperties();
        for (String key : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = ((Map<String, Object>) m).get(key);
        }
        return cur;
    }
}
