package dev.meshproof.suites;

import dev.meshproof.conformance.DataPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * AuthorizationPolicy semantics as the {@link ScriptedMesh} plays them: which policies reach which enforcer, and what
 * ztunnel makes of rules with HTTP attributes. Full (L7) matching of a request is {@link ScriptedWaypointAuthz}'s.
 *
 * <ul>
 *   <li>{@code targetRefs}/{@code targetRef}: never for ztunnel ({@code return nil, nil}, "TargetRef is not intended for
 *   ztunnel", istio/istio@1.29.6:pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go
 *   {@code convertAuthorizationPolicy}); the waypoint they name enforces them.</li>
 *   <li>HTTP attributes at ztunnel ({@code handleRule}): in an ALLOW policy a rule with any is dropped ("L7 policies never
 *   match for ALLOW"); in a DENY policy they are removed, and a clause left with no L4 field becomes an empty match that
 *   ztunnel skips (istio/ztunnel@1.29.6:src/rbac.rs), so the rule never matches (istio/istio#61126).</li>
 * </ul>
 */
final class ScriptedAuthorization {
    /** {@code when} keys ztunnel understands (authorization.go {@code l4WhenAttributes}). */
    static final Set<String> L4_WHEN = Set.of("source.ip", "source.namespace", "source.principal", "destination.ip", "destination.port");
    private static final List<String> HTTP_OPERATION = List.of("hosts", "notHosts", "methods", "notMethods", "paths", "notPaths");
    private static final List<String> HTTP_SOURCE = List.of("remoteIpBlocks", "notRemoteIpBlocks", "requestPrincipals", "notRequestPrincipals");

    private ScriptedAuthorization() {
    }

    static boolean hasTargetRefs(GenericKubernetesResource p) {
        return spec(p).get("targetRefs") != null || spec(p).get("targetRef") != null;
    }

    /** The HTTP attributes a policy's rules use, sorted, as istiod lists them in its status (empty: L4 only). */
    static List<String> httpAttributes(GenericKubernetesResource p) {
        Set<String> found = new TreeSet<>();
        for (Map<String, Object> rule : rules(p)) {
            found.addAll(httpAttributes(rule));
        }
        return List.copyOf(found);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> httpAttributes(Map<String, Object> rule) {
        Set<String> found = new TreeSet<>();
        for (Map<String, Object> to : list(rule.get("to"))) {
            Map<String, Object> op = (Map<String, Object>) to.getOrDefault("operation", Map.of());
            HTTP_OPERATION.stream().filter(op::containsKey).forEach(found::add);
        }
        for (Map<String, Object> from : list(rule.get("from"))) {
            Map<String, Object> source = (Map<String, Object>) from.getOrDefault("source", Map.of());
            HTTP_SOURCE.stream().filter(source::containsKey).forEach(found::add);
        }
        for (Map<String, Object> when : list(rule.get("when"))) {
            String key = String.valueOf(when.get("key"));
            if (!L4_WHEN.contains(key)) {
                found.add(key);
            }
        }
        return found;
    }

    /**
     * The policies the L4 code of the scripted mesh evaluates for one connection, as the enforcer there sees them: never a
     * targetRefs policy; in sidecar mode for HTTP, no policy with HTTP attributes (the sidecar's HTTP RBAC filter,
     * {@link ScriptedWaypointAuthz}, evaluates those with the request); otherwise (ztunnel; a sidecar's TCP chain,
     * approximated the same way) policies with HTTP attributes converted as ztunnel converts them.
     * {@code keepL7AllowRules}: the misbehaviour of keeping an ALLOW rule's L4 part instead of dropping the rule.
     */
    static List<GenericKubernetesResource> atL4(List<GenericKubernetesResource> policies, DataPlane plane, boolean tcp, boolean keepL7AllowRules) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (GenericKubernetesResource p : policies) {
            if (hasTargetRefs(p)) {
                continue;
            }
            if (httpAttributes(p).isEmpty()) {
                out.add(p);
            } else if (plane == DataPlane.AMBIENT || tcp) {
                out.add(ztunnelView(p, keepL7AllowRules));
            }
        }
        return out;
    }

    /** A copy of {@code p} with its rules as ztunnel receives them. */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource ztunnelView(GenericKubernetesResource p, boolean keepL7AllowRules) {
        boolean deny = "DENY".equals(spec(p).get("action"));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> rule : rules(p)) {
            if (httpAttributes(rule).isEmpty()) {
                rules.add(rule);
            } else if (deny || keepL7AllowRules) {
                Map<String, Object> l4 = l4Part(rule, !deny);
                if (l4 != null) {
                    rules.add(l4);
                }
            }
            // ALLOW: the rule is dropped
        }
        Map<String, Object> spec = new LinkedHashMap<>(spec(p));
        spec.put("rules", rules);
        GenericKubernetesResource copy = new GenericKubernetesResourceBuilder().withApiVersion(p.getApiVersion()).withKind(p.getKind())
                .withMetadata(p.getMetadata()).build();
        copy.setAdditionalProperty("spec", spec);
        return copy;
    }

    /**
     * The rule without its HTTP attributes, or null when a clause is left with no L4 field in any of its entries (an empty
     * match never matches at ztunnel) or a {@code when} needs HTTP. {@code misbehave}: the broken ztunnel that drops what it
     * cannot read instead (an emptied clause or HTTP {@code when} then matches everything).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> l4Part(Map<String, Object> rule, boolean misbehave) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String clause : List.of("to", "from")) {
            if (rule.get(clause) == null) {
                continue;
            }
            String inner = clause.equals("to") ? "operation" : "source";
            List<Object> kept = new ArrayList<>();
            for (Map<String, Object> entry : list(rule.get(clause))) {
                Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) entry.getOrDefault(inner, Map.of()));
                fields.keySet().removeAll(clause.equals("to") ? HTTP_OPERATION : HTTP_SOURCE);
                if (!fields.isEmpty()) {
                    kept.add(Map.of(inner, fields));
                }
            }
            if (kept.isEmpty() && !misbehave) {
                return null;
            }
            if (!kept.isEmpty()) {
                out.put(clause, kept);
            }
        }
        List<Map<String, Object>> when = list(rule.get("when"));
        if (!misbehave && when.stream().anyMatch(c -> !L4_WHEN.contains(String.valueOf(c.get("key"))))) {
            return null;
        }
        List<Map<String, Object>> l4When = when.stream().filter(c -> L4_WHEN.contains(String.valueOf(c.get("key")))).toList();
        if (!l4When.isEmpty()) {
            out.put("when", l4When);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource p) {
        Object spec = p.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Map<String, Object>> rules(GenericKubernetesResource p) {
        return list(spec(p).get("rules"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
