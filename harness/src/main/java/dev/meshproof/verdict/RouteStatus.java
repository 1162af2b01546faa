package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.ObjectStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the status Istio wrote on a GAMMA route (an HTTPRoute whose parentRef is a Service): the entry of
 * {@code status.parents[]} for that Service written by {@code controllerName: istio.io/gateway-controller} must have
 * {@code Accepted} and {@code ResolvedRefs} True for the route's current generation, and in ambient Istio's
 * {@code ResolvedWaypoints} condition must say {@code All waypoints resolved}.
 *
 * <p>Sources, {@code istio/istio@1.29.6:pilot/pkg/config/kube/gateway/}: the parent status shape is the golden
 * {@code testdata/mesh.status.yaml.golden}; the conditions and messages are in {@code conditions.go} l.140-185 and
 * l.263-273. {@code ResolvedWaypoints} is always status "True" — only its message says whether the route will be
 * respected ({@code istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will
 * not be respected}) — so the message is judged, never the status. A route never accepted FAILs with the condition's
 * own reason and message; a status that was never written, or not for this parent, is INCONCLUSIVE (absence of status
 * is not acceptance). In sidecar mode {@code ResolvedWaypoints} is ignored: sidecars apply routes without waypoints
 * (an ambient-enabled istiod still writes the condition there, with the missing-label message).
 *
 * @param kind       the route's kind ({@code HTTPRoute})
 * @param name       the route's name
 * @param parentKind the parentRef's kind ({@code Service})
 * @param parentName the parentRef's name ({@code echo})
 */
public record RouteStatus(String kind, String name, String parentKind, String parentName) {
    public static final String CONTROLLER = "istio.io/gateway-controller";
    public static final String ACCEPTED = "Accepted";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String RESOLVED_WAYPOINTS = "ResolvedWaypoints";
    /** istio/istio@1.29.6:pilot/pkg/config/kube/gateway/conditions.go: the only message that means the waypoint will apply the route. */
    public static final String ALL_WAYPOINTS_RESOLVED = "All waypoints resolved";

    /** An HTTPRoute attached to the Service {@code service} (GAMMA). */
    public static RouteStatus httpRouteOnService(String route, String service) {
        return new RouteStatus("HTTPRoute", route, "Service", service);
    }

    public Verdict judge(Evidence evidence) {
        boolean ambient = "ambient".equals(evidence.facts().dataPlane());
        return judge(evidence.status(kind, name), ambient);
    }

    /** The decision on the recorded status; {@code ambient}: whether the waypoint must resolve. */
    public Verdict judge(Optional<ObjectStatus> recorded, boolean ambient) {
        String what = kind + " " + name + " status";
        if (recorded.isEmpty()) {
            return Verdict.inconclusive(what + ": not recorded (status/ has no " + kind + "_*_" + name + ".json)");
        }
        ObjectStatus s = recorded.get();
        if (!s.exists()) {
            return Verdict.inconclusive(what + ": the route no longer existed when its status was read");
        }
        JsonNode parents = s.status() == null ? null : s.status().path("parents");
        if (parents == null || !parents.isArray() || parents.isEmpty()) {
            return Verdict.inconclusive(what + ": no controller wrote parents[] on it (Istio writes one for every parent it handles): "
                    + "a route without status is not an accepted route");
        }
        JsonNode parent = null;
        List<String> others = new ArrayList<>();
        for (JsonNode p : parents) {
            if (isOurs(p)) {
                parent = p;
            } else {
                others.add(p.path("parentRef").path("kind").asText("?") + "/" + p.path("parentRef").path("name").asText("?")
                        + " by " + p.path("controllerName").asText("?"));
            }
        }
        String parentText = parentKind + " " + parentName;
        if (parent == null) {
            return Verdict.inconclusive(what + ": no entry for parent " + parentText + " written by " + CONTROLLER + " (only " + String.join(", ", others) + ")");
        }
        List<Verdict> parts = new ArrayList<>();
        String prefix = what + " for parent " + parentText + ": ";
        parts.add(mustBeTrue(prefix, parent, ACCEPTED, s.generation()));
        parts.add(mustBeTrue(prefix, parent, RESOLVED_REFS, s.generation()));
        if (ambient) {
            JsonNode w = condition(parent, RESOLVED_WAYPOINTS);
            if (w == null) {
                parts.add(Verdict.inconclusive(prefix + RESOLVED_WAYPOINTS + " missing (istiod writes it whenever ambient is enabled): "
                        + "nothing says a waypoint will apply the route"));
            } else if (!ALL_WAYPOINTS_RESOLVED.equals(w.path("message").asText())) {
                parts.add(Verdict.fail(prefix + RESOLVED_WAYPOINTS + " says \"" + w.path("message").asText() + "\" (status "
                        + w.path("status").asText() + ", which Istio sets True whatever the message)"));
            } else {
                parts.add(Verdict.pass(prefix + RESOLVED_WAYPOINTS + ": " + ALL_WAYPOINTS_RESOLVED));
            }
        }
        return Verdict.all(parts);
    }

    private boolean isOurs(JsonNode p) {
        JsonNode ref = p.path("parentRef");
        return CONTROLLER.equals(p.path("controllerName").asText()) && parentKind.equals(ref.path("kind").asText())
                && parentName.equals(ref.path("name").asText()) && ref.path("group").asText("").isEmpty();
    }

    private static JsonNode condition(JsonNode parent, String type) {
        for (JsonNode c : parent.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static Verdict mustBeTrue(String prefix, JsonNode parent, String type, Long generation) {
        JsonNode c = condition(parent, type);
        if (c == null) {
            return Verdict.inconclusive(prefix + type + " missing");
        }
        String said = type + " " + c.path("status").asText() + " (" + c.path("reason").asText() + ": " + c.path("message").asText() + ")";
        if (!"True".equals(c.path("status").asText())) {
            return Verdict.fail(prefix + said);
        }
        if (c.hasNonNull("observedGeneration") && generation != null && c.path("observedGeneration").asLong() != generation) {
            return Verdict.inconclusive(prefix + said + " is for generation " + c.path("observedGeneration").asLong()
                    + ", the route is at generation " + generation + ": stale");
        }
        return Verdict.pass(prefix + said + (c.hasNonNull("observedGeneration") ? " at generation " + c.path("observedGeneration").asLong() : ""));
    }
}
