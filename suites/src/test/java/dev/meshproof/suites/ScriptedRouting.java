package dev.meshproof.suites;

import dev.meshproof.conformance.DataPlane;
import dev.meshproof.mesh.GatewayApi;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.mesh.Waypoints;
import dev.meshproof.suites.ScriptedMesh.Fault;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Routing as the L7 proxy plays it in the {@link ScriptedMesh}, from what istiod pushes (watched on the API server, so a
 * change arrives with a watch's delay, as a push has one): GAMMA HTTPRoutes (parentRef a Service) and VirtualServices
 * with their DestinationRules' subsets. Header matches are exact, prefix
 * (VirtualService only) or regular expression (full match), header names case-insensitive; among HTTPRoute rules the
 * one with the most header matches wins, then rule order (Gateway API HTTPRouteRule precedence, same path); weights are
 * drawn per request from a seeded {@link Random}, as Envoy's weighted clusters draw them, so runs are repeatable.
 *
 * <p>It also plays istiod's route status writer: every HTTPRoute with a Service parent gets {@code status.parents[]} in
 * the shape of istio/istio@1.29.6:pilot/pkg/config/kube/gateway/testdata/mesh.status.yaml.golden, with {@code Accepted},
 * {@code ResolvedRefs} and, for a route in an ambient namespace, {@code ResolvedWaypoints} (always "True"; the message
 * says whether {@code istio.io/use-waypoint} is on the Service or its namespace, conditions.go l.172-181, 263-273;
 * conversion.go l.565-625). A hybrid istiod writes ResolvedWaypoints on sidecar namespaces' routes too; this fake does
 * not, and the judge ignores it there.
 *
 * <p>Faults: {@link Fault#IGNORES_ROUTES} (nothing is routed: the Service spreads), {@link Fault#ROUTE_NOT_ACCEPTED}
 * (HTTPRoutes are reported {@code Accepted: False} and not applied), {@link Fault#SKEWED_SPLIT} (weights ignored: every
 * backend of a rule equally likely).
 */
final class ScriptedRouting implements L7Behaviour, AutoCloseable {
    static final String CONTROLLER = "istio.io/gateway-controller";
    static final String ALL_WAYPOINTS_RESOLVED = "All waypoints resolved";
    static final String MISSING_LABEL = "istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected";

    private final KubernetesClient k;
    private final Set<Fault> faults;
    private static final String VS = "networking.istio.io/v1/VirtualService";
    private static final String DR = "networking.istio.io/v1/DestinationRule";
    private final Random random = new Random(20260814L);
    private final List<Watch> watches = new ArrayList<>();
    /** What istiod has pushed: HTTPRoutes, VirtualServices, DestinationRules by kind/namespace/name. */
    private final Map<String, GenericKubernetesResource> config = new LinkedHashMap<>();
    /** HTTPRoutes (kind/namespace/name) istiod accepted, as its status says. */
    private final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ScriptedRouting(KubernetesClient k, Set<Fault> faults) {
        this.k = k;
        this.faults = faults;
        for (String kind : List.of(GatewayApi.API_VERSION + "/HTTPRoute", VS, DR)) {
            watches.add(IstioKinds.operations(k, kind.substring(0, kind.lastIndexOf('/')), kind.substring(kind.lastIndexOf('/') + 1)).inAnyNamespace()
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, GenericKubernetesResource object) {
                            pushed(action, object);
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            // the test is over
                        }
                    }));
        }
    }

    /** istiod's side: config arrives by watch and is pushed to the proxies (with a watch's delay, as a real push has one). */
    private void pushed(Watcher.Action action, GenericKubernetesResource object) {
        String key = object.getKind() + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
        if (action == Watcher.Action.DELETED) {
            synchronized (this) {
                config.remove(key);
            }
            accepted.remove(object.getMetadata().getNamespace() + "/" + object.getMetadata().getName());
            return;
        }
        if (action != Watcher.Action.ADDED && action != Watcher.Action.MODIFIED) {
            return;
        }
        if (object.getKind().equals("HTTPRoute")) {
            writeStatus(object);
        }
        synchronized (this) {
            config.put(key, object);
        }
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }

    /** The pushed objects of {@code kind} in {@code ns}, in creation order. */
    private synchronized List<GenericKubernetesResource> pushed(String kind, String ns) {
        return config.values().stream().filter(o -> o.getKind().equals(kind) && ns.equals(o.getMetadata().getNamespace())).toList();
    }

    @Override
    public synchronized String route(Request request, List<String> versions) {
        if (faults.contains(Fault.IGNORES_ROUTES) || request.dataPlane() == DataPlane.SIDECAR && request.principal() == null) {
            return null; // sidecar mode routes at the client's sidecar: a client without one is not routed
        }
        for (GenericKubernetesResource route : pushed("HTTPRoute", request.serverNamespace())) {
            if (attachedTo(route, request) && accepted(route)) {
                return fromHttpRoute(route, request);
            }
        }
        for (GenericKubernetesResource vs : pushed("VirtualService", request.serverNamespace())) {
            if (list(vs, "spec", "hosts").stream().anyMatch(h -> hostIs(String.valueOf(h), request))) {
                return fromVirtualService(vs, request);
            }
        }
        return null;
    }

    // ---- Gateway API ----

    private boolean attachedTo(GenericKubernetesResource route, Request request) {
        return list(route, "spec", "parentRefs").stream().map(ScriptedRouting::map).anyMatch(p -> "Service".equals(p.get("kind"))
                && "".equals(Objects.toString(p.get("group"), "")) && request.service().equals(p.get("name"))
                && (p.get("port") == null || ((Number) p.get("port")).intValue() == request.port()));
    }

    private boolean accepted(GenericKubernetesResource route) {
        return accepted.contains(route.getMetadata().getNamespace() + "/" + route.getMetadata().getName());
    }

    private String fromHttpRoute(GenericKubernetesResource route, Request request) {
        Map<String, Object> best = null;
        int bestHeaders = -1;
        for (Object r : list(route, "spec", "rules")) {
            Map<String, Object> rule = map(r);
            List<Object> matches = rule.get("matches") instanceof List<?> l ? List.copyOf(l) : List.of(Map.of());
            for (Object m : matches) {
                Map<String, Object> match = map(m);
                int headers = match.get("headers") instanceof List<?> l ? l.size() : 0;
                if (headers > bestHeaders && httpRouteMatches(match, request)) {
                    best = rule;
                    bestHeaders = headers;
                }
            }
        }
        if (best == null) {
            return null;
        }
        Map<String, Object> backend = pick(best.get("backendRefs") instanceof List<?> l ? List.copyOf(l) : List.of(), "weight");
        return backend == null ? null : versionOfService(String.valueOf(backend.get("name")));
    }

    private static boolean httpRouteMatches(Map<String, Object> match, Request request) {
        for (String key : match.keySet()) {
            if (!Set.of("headers", "path", "method").contains(key)) {
                throw new IllegalStateException("the scripted mesh does not play HTTPRoute match field '" + key + "'");
            }
        }
        if (match.get("method") != null && !match.get("method").equals(request.method())) {
            return false;
        }
        if (match.get("path") instanceof Map<?, ?> path) {
            String type = Objects.toString(path.get("type"), "PathPrefix");
            String value = Objects.toString(path.get("value"), "/");
            if (!stringMatches(type.equals("PathPrefix") ? "prefix" : type.equals("Exact") ? "exact" : "regex", value, request.path())) {
                return false;
            }
        }
        for (Object h : match.get("headers") instanceof List<?> l ? l : List.of()) {
            Map<String, Object> header = map(h);
            String type = Objects.toString(header.get("type"), "Exact");
            String actual = request.header(String.valueOf(header.get("name")));
            if (actual == null || !stringMatches(type.equals("Exact") ? "exact" : "regex", String.valueOf(header.get("value")), actual)) {
                return false;
            }
        }
        return true;
    }

    // ---- VirtualService + DestinationRule ----

    private String fromVirtualService(GenericKubernetesResource vs, Request request) {
        for (Object h : list(vs, "spec", "http")) {
            Map<String, Object> http = map(h);
            List<Object> matches = http.get("match") instanceof List<?> l ? List.copyOf(l) : List.of(Map.of());
            if (matches.stream().anyMatch(m -> virtualServiceMatches(map(m), request))) {
                Map<String, Object> destination = pick(http.get("route") instanceof List<?> l ? List.copyOf(l) : List.of(), "weight");
                if (destination == null) {
                    return null;
                }
                Map<String, Object> d = map(destination.get("destination"));
                String host = String.valueOf(d.get("host"));
                if (d.get("subset") == null) {
                    return versionOfService(host.split("\\.")[0]);
                }
                return subsetVersion(vs.getMetadata().getNamespace(), host, String.valueOf(d.get("subset")));
            }
        }
        return null;
    }

    private static boolean virtualServiceMatches(Map<String, Object> match, Request request) {
        for (String key : match.keySet()) {
            if (!Set.of("headers", "uri", "method", "name").contains(key)) {
                throw new IllegalStateException("the scripted mesh does not play VirtualService match field '" + key + "'");
            }
        }
        if (match.get("uri") instanceof Map<?, ?> uri && !stringMatch(map(uri), request.path())) {
            return false;
        }
        if (match.get("method") instanceof Map<?, ?> method && !stringMatch(map(method), request.method())) {
            return false;
        }
        if (match.get("headers") instanceof Map<?, ?> headers) {
            for (Map.Entry<?, ?> e : headers.entrySet()) {
                String actual = request.header(String.valueOf(e.getKey()));
                if (actual == null || !stringMatch(map(e.getValue()), actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Istio's StringMatch: one of exact, prefix, regex (RE2, full match). */
    private static boolean stringMatch(Map<String, Object> m, String actual) {
        for (String kind : List.of("exact", "prefix", "regex")) {
            if (m.get(kind) != null) {
                return stringMatches(kind, String.valueOf(m.get(kind)), actual);
            }
        }
        throw new IllegalStateException("the scripted mesh does not play StringMatch " + m);
    }

    private static boolean stringMatches(String kind, String value, String actual) {
        return switch (kind) {
            case "exact" -> actual.equals(value);
            case "prefix" -> actual.startsWith(value);
            default -> Pattern.compile(value).matcher(actual).matches();
        };
    }

    private String subsetVersion(String ns, String host, String subset) {
        for (GenericKubernetesResource dr : pushed("DestinationRule", ns)) {
            if (!Objects.equals(path(dr, "spec", "host"), host)) {
                continue;
            }
            for (Object s : list(dr, "spec", "subsets")) {
                Map<String, Object> named = map(s);
                if (subset.equals(named.get("name")) && named.get("labels") instanceof Map<?, ?> labels && labels.get("version") != null) {
                    return String.valueOf(labels.get("version"));
                }
            }
        }
        return null; // a subset no DestinationRule defines: Envoy answers 503 NR; not played, the spread shows it
    }

    private static boolean hostIs(String host, Request request) {
        return host.equals(request.service()) || host.equals(request.service() + "." + request.serverNamespace() + ".svc.cluster.local");
    }

    // ---- shared ----

    /** A weighted choice among {@code candidates} (weight default 1, 0 never chosen); SKEWED_SPLIT: weights ignored. */
    private Map<String, Object> pick(List<Object> candidates, String weightKey) {
        List<Map<String, Object>> live = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (Object c : candidates) {
            Map<String, Object> m = map(c);
            int w = m.get(weightKey) == null ? 1 : ((Number) m.get(weightKey)).intValue();
            if (w > 0) {
                live.add(m);
                weights.add(faults.contains(Fault.SKEWED_SPLIT) ? 1 : w);
            }
        }
        if (live.isEmpty()) {
            return null;
        }
        int draw = random.nextInt(weights.stream().mapToInt(Integer::intValue).sum());
        for (int i = 0; i < live.size(); i++) {
            draw -= weights.get(i);
            if (draw < 0) {
                return live.get(i);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** {@code echo-v2} → {@code v2}; {@code echo} (every version) → null: the Service spreads. */
    private static String versionOfService(String service) {
        return service.startsWith("echo-") ? service.substring("echo-".length()) : null;
    }

    // ---- istiod's status writer ----

    private void writeStatus(GenericKubernetesResource route) {
        Long generation = route.getMetadata().getGeneration();
        Object existing = route.getAdditionalProperties().get("status");
        if (existing != null && (generation == null || generation.equals(observedGeneration(existing)))) {
            return; // already written for this generation (our own write comes back as MODIFIED)
        }
        String ns = route.getMetadata().getNamespace();
        boolean ambient = "ambient".equals(namespaceLabel(ns, "istio.io/dataplane-mode"));
        List<Map<String, Object>> parents = new ArrayList<>();
        for (Object p : list(route, "spec", "parentRefs")) {
            Map<String, Object> ref = map(p);
            if (!"Service".equals(ref.get("kind"))) {
                continue;
            }
            String service = String.valueOf(ref.get("name"));
            boolean exists = k.services().inNamespace(ns).withName(service).get() != null;
            if (exists && !faults.contains(Fault.ROUTE_NOT_ACCEPTED)) {
                accepted.add(ns + "/" + route.getMetadata().getName());
            }
            List<Map<String, Object>> conditions = new ArrayList<>();
            conditions.add(exists && !faults.contains(Fault.ROUTE_NOT_ACCEPTED)
                    ? condition("Accepted", "True", "Accepted", "Route was valid", generation)
                    : condition("Accepted", "False", "NoMatchingParent", "parent service: \"" + service + "\" not found", generation));
            conditions.add(condition("ResolvedRefs", "True", "ResolvedRefs", "All references resolved", generation));
            if (ambient) {
                String message = !exists ? "parent not found" : waypointLabelled(ns, service) ? ALL_WAYPOINTS_RESOLVED : MISSING_LABEL;
                conditions.add(condition("ResolvedWaypoints", "True", "ResolvedWaypoints", message, generation));
            }
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put("conditions", conditions);
            parent.put("controllerName", CONTROLLER);
            parent.put("parentRef", ref);
            parents.add(parent);
        }
        if (parents.isEmpty()) {
            return;
        }
        route.getAdditionalProperties().put("status", Map.of("parents", parents));
        IstioKinds.operations(k, GatewayApi.API_VERSION, "HTTPRoute").inNamespace(ns).resource(route).updateStatus();
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message, Long generation) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("lastTransitionTime", Instant.now().toString());
        c.put("message", message);
        if (generation != null) {
            c.put("observedGeneration", generation);
        }
        c.put("reason", reason);
        c.put("status", status);
        c.put("type", type);
        return c;
    }

    private static Long observedGeneration(Object status) {
        Object parents = ((Map<?, ?>) status).get("parents");
        if (parents instanceof List<?> l && !l.isEmpty() && map(l.get(0)).get("conditions") instanceof List<?> cs && !cs.isEmpty()
                && map(cs.get(0)).get("observedGeneration") instanceof Number n) {
            return n.longValue();
        }
        return null;
    }

    /** istio/istio@1.29.6:pilot/pkg/config/kube/gateway/conversion.go waypointConfigured: the label only, on the Service or its namespace. */
    private boolean waypointLabelled(String ns, String service) {
        io.fabric8.kubernetes.api.model.Service svc = k.services().inNamespace(ns).withName(service).get();
        return svc != null && svc.getMetadata().getLabels() != null && svc.getMetadata().getLabels().containsKey(Waypoints.USE_WAYPOINT)
                || namespaceLabel(ns, Waypoints.USE_WAYPOINT) != null;
    }

    private String namespaceLabel(String ns, String key) {
        io.fabric8.kubernetes.api.model.Namespace n = k.namespaces().withName(ns).get();
        return n == null || n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<Object> list(GenericKubernetesResource r, String... keys) {
        return path(r, keys) instanceof List<?> l ? List.copyOf(l) : List.of();
    }

    private static Object path(GenericKubernetesResource r, String... keys) {
        Object cur = r.getAdditionalProperties();
        for (String key : keys) {
            cur = map(cur).get(key);
        }
        return cur;
    }
}
