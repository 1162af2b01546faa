package dev.meshproof.suites;

import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.mesh.IstioKinds;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.verdict.CallExpectation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.meshproof.suites.ScriptedAuthorization.list;
import static dev.meshproof.suites.ScriptedAuthorization.spec;

/**
 * Envoy's HTTP RBAC filter in the L7 proxy of a request, as the scripted mesh plays it. Ambient: the waypoint in the path
 * enforces the policies bound to it with {@code targetRefs} — Gateway {@code <the waypoint>} or Service {@code <the Service
 * called>}; sidecar: the server's sidecar enforces the {@code selector}/namespace-wide policies that use HTTP attributes (the
 * scripted L4 code leaves those to it, {@link ScriptedAuthorization#atL4}). DENY first, then ALLOW ("allow policies exist,
 * none matched"); a refusal is Envoy's local reply 403 {@code RBAC: access denied}. Matching follows Istio's
 * AuthorizationPolicy reference: exact, prefix {@code abc*}, suffix {@code *abc} and {@code *}; within a rule from, to and
 * when must all match, within a clause any entry. A field it does not know fails the test instead of being ignored.
 */
final class ScriptedWaypointAuthz implements L7Behaviour {
    /** What a broken waypoint answers instead of the RBAC 403 (an upstream failure, Envoy's 503 local reply). */
    static final String UPSTREAM_503 = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
    private static final Set<String> SOURCE = Set.of("principals", "notPrincipals", "namespaces", "notNamespaces");
    private static final Set<String> OPERATION = Set.of("methods", "notMethods", "paths", "notPaths", "ports", "notPorts");

    private final KubernetesClient k;
    private final Set<Fault> faults;

    ScriptedWaypointAuthz(KubernetesClient k, Set<Fault> faults) {
        this.k = k;
        this.faults = faults;
    }

    @Override
    public CallResult answer(Request r) {
        if (faults.contains(Fault.IGNORES_L7_POLICIES) || faults.contains(Fault.IGNORES_POLICIES)) {
            return null;
        }
        List<GenericKubernetesResource> policies = IstioKinds.list(k, "security.istio.io/v1", "AuthorizationPolicy", r.serverNamespace()).stream()
                .filter(p -> enforcedHere(p, r)).toList();
        boolean denied = policies.stream().anyMatch(p -> "DENY".equals(spec(p).get("action")) && anyRuleMatches(p, r));
        List<GenericKubernetesResource> allow = policies.stream().filter(p -> !"DENY".equals(spec(p).get("action"))).toList();
        if (denied || !allow.isEmpty() && allow.stream().noneMatch(p -> anyRuleMatches(p, r))) {
            return faults.contains(Fault.L7_DENIES_WITH_503)
                    ? new CallResult(Outcome.HTTP_ERROR, 503, 900, null, UPSTREAM_503, null, null)
                    : new CallResult(Outcome.HTTP_ERROR, 403, 900, null, CallExpectation.RBAC_DENIED_BODY, null, null);
        }
        return null;
    }

    /** Ambient: bound to the waypoint in the path; sidecar: the server's sidecar's policy with HTTP attributes. */
    private boolean enforcedHere(GenericKubernetesResource p, Request r) {
        if (r.dataPlane() == DataPlane.AMBIENT) {
            return r.waypoint() != null && targetRefs(p).stream().anyMatch(ref ->
                    "Gateway".equals(ref.get("kind")) && GATEWAY_GROUP.equals(ref.get("group")) && r.waypoint().equals(ref.get("name"))
                            || "Service".equals(ref.get("kind")) && "".equals(Objects.toString(ref.get("group"), "")) && r.service().equals(ref.get("name")));
        }
        if (ScriptedAuthorization.hasTargetRefs(p) || ScriptedAuthorization.httpAttributes(p).isEmpty() || !injected(r.serverNamespace())) {
            return false;
        }
        Object selector = spec(p).get("selector");
        if (selector instanceof Map<?, ?> s && s.get("matchLabels") instanceof Map<?, ?> labels) {
            if (labels.keySet().stream().anyMatch(key -> !"app".equals(key))) {
                throw new IllegalArgumentException("the scripted sidecar selects by label app only: " + labels);
            }
            return "echo".equals(labels.get("app"));
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targetRefs(GenericKubernetesResource p) {
        Object one = spec(p).get("targetRef");
        return one instanceof Map<?, ?> m ? List.of((Map<String, Object>) m) : list(spec(p).get("targetRefs"));
    }

    private boolean injected(String ns) {
        Namespace n = k.namespaces().withName(ns).get();
        return n != null && n.getMetadata().getLabels() != null && "enabled".equals(n.getMetadata().getLabels().get("istio-injection"));
    }

    @SuppressWarnings("unchecked")
    static boolean anyRuleMatches(GenericKubernetesResource p, Request r) {
        for (Map<String, Object> rule : ScriptedAuthorization.rules(p)) {
            boolean from = rule.get("from") == null || list(rule.get("from")).stream()
                    .anyMatch(f -> sourceMatches((Map<String, Object>) f.getOrDefault("source", Map.of()), r));
            boolean to = rule.get("to") == null || list(rule.get("to")).stream()
                    .anyMatch(t -> operationMatches((Map<String, Object>) t.getOrDefault("operation", Map.of()), r));
            boolean when = list(rule.get("when")).stream().allMatch(c -> conditionMatches(c, r));
            if (from && to && when) {
                return true;
            }
        }
        return false;
    }

    private static boolean sourceMatches(Map<String, Object> source, Request r) {
        known(source, SOURCE, "source");
        String ns = r.principal() == null ? null : r.clientNamespace();
        return matches(source, "principals", r.principal()) && matches(source, "namespaces", ns);
    }

    private static boolean operationMatches(Map<String, Object> op, Request r) {
        known(op, OPERATION, "operation");
        return matches(op, "methods", r.method()) && matches(op, "paths", r.path()) && matches(op, "ports", String.valueOf(r.port()));
    }

    @SuppressWarnings("unchecked")
    private static boolean conditionMatches(Map<String, Object> c, Request r) {
        String key = String.valueOf(c.get("key"));
        String value;
        if (key.startsWith("request.headers[") && key.endsWith("]")) {
            value = r.header(key.substring("request.headers[".length(), key.length() - 1));
        } else if (key.equals("source.principal")) {
            value = r.principal();
        } else if (key.equals("source.namespace")) {
            value = r.principal() == null ? null : r.clientNamespace();
        } else {
            throw new IllegalArgumentException("the scripted RBAC filter does not know the condition key " + key);
        }
        List<String> values = (List<String>) c.get("values");
        List<String> notValues = (List<String>) c.get("notValues");
        return (values == null || value != null && values.stream().anyMatch(v -> istioMatch(v, value)))
                && (notValues == null || value == null || notValues.stream().noneMatch(v -> istioMatch(v, value)));
    }

    /** {@code field} (any value matches) and {@code notField} (no value matches); a field absent matches everything. */
    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> clause, String field, String value) {
        List<String> values = (List<String>) clause.get(field);
        List<String> notValues = (List<String>) clause.get("not" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
        return (values == null || value != null && values.stream().anyMatch(v -> istioMatch(v, value)))
                && (notValues == null || value == null || notValues.stream().noneMatch(v -> istioMatch(v, value)));
    }

    /** Istio's string match: {@code *} anything, {@code abc*} prefix, {@code *abc} suffix, else exact. */
    static boolean istioMatch(String pattern, String value) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }

    private static void known(Map<String, Object> fields, Set<String> known, String what) {
        fields.keySet().stream().filter(key -> !known.contains(key)).findFirst().ifPresent(key -> {
            throw new IllegalArgumentException("the scripted RBAC filter does not know " + what + "." + key);
        });
    }
}
