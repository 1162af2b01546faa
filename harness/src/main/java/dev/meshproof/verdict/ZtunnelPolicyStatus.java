package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.evidence.ObjectStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What istiod says about an AuthorizationPolicy it converted for ztunnel, judged from the recorded status
 * ({@code status.conditions[]}). istiod writes condition {@code ZtunnelAccepted} (istio/istio@1.29.6:pilot/pkg/model/service.go
 * {@code WorkloadAuthorization.GetConditions}); for a {@code selector} ALLOW policy whose rules use HTTP attributes the
 * reason is {@code UnsupportedValue}, status {@code "True"} (the policy is still sent, without those rules) and the message
 * {@code ztunnel does not support HTTP attributes (found: <sorted list>). In ambient mode you must use a waypoint proxy to
 * enforce HTTP rules. Within an ALLOW policy, rules matching HTTP attributes are omitted. …}
 * (pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go lines 467-488, policies.go line 183).
 *
 * <p>istiod writes this status only while its ambient status writer runs ({@code AMBIENT_ENABLE_STATUS}, on by default
 * when {@code PILOT_ENABLE_AMBIENT=true}: pilot/pkg/features/ambient.go, which profile {@code ambient} sets). No status is
 * never a pass: it is INCONCLUSIVE, naming the setting.
 */
public final class ZtunnelPolicyStatus {
    public static final String CONDITION = "ZtunnelAccepted";
    public static final String UNSUPPORTED_VALUE = "UnsupportedValue";
    static final String ALLOW_OMITTED = "Within an ALLOW policy, rules matching HTTP attributes are omitted.";

    private ZtunnelPolicyStatus() {
    }

    /**
     * PASS when the policy's {@code ZtunnelAccepted} condition says ztunnel omits its HTTP rules, naming exactly
     * {@code found} (sorted as istiod sorts them); FAIL on any other condition; INCONCLUSIVE without a status.
     */
    public static Verdict httpRulesOmitted(Optional<ObjectStatus> recorded, String policy, List<String> found) {
        String what = "status of AuthorizationPolicy " + policy;
        if (recorded.isEmpty() || !recorded.get().exists()) {
            return Verdict.inconclusive(what + ": not recorded (the policy was gone or never read)");
        }
        ObjectStatus s = recorded.get();
        if (!s.hasStatus() || !s.status().path("conditions").isArray() || s.status().path("conditions").isEmpty()) {
            return Verdict.inconclusive(what + ": istiod wrote no condition (its ambient status writer, AMBIENT_ENABLE_STATUS, "
                    + "is on by default with PILOT_ENABLE_AMBIENT=true; no status is no evidence)");
        }
        List<String> seen = new ArrayList<>();
        for (JsonNode c : s.status().path("conditions")) {
            seen.add(c.path("type").asText() + "=" + c.path("status").asText() + " (" + c.path("reason").asText() + ")");
            if (!CONDITION.equals(c.path("type").asText())) {
                continue;
            }
            String reason = c.path("reason").asText();
            String message = c.path("message").asText();
            String expectedFound = "ztunnel does not support HTTP attributes (found: " + String.join(", ", found) + ").";
            String quoted = CONDITION + " status " + c.path("status").asText() + ", reason " + reason + ", message '" + message + "'";
            if (!"True".equals(c.path("status").asText()) || !UNSUPPORTED_VALUE.equals(reason)
                    || !message.startsWith(expectedFound) || !message.contains(ALLOW_OMITTED)) {
                return Verdict.fail(what + ": expected " + CONDITION + " True, reason " + UNSUPPORTED_VALUE + ", message starting '"
                        + expectedFound + "' and saying '" + ALLOW_OMITTED + "'; got " + quoted);
            }
            JsonNode observed = c.path("observedGeneration");
            if (!observed.isMissingNode() && !observed.isNull() && s.generation() != null && observed.asLong(-1) != s.generation()) {
                return Verdict.inconclusive(what + ": " + CONDITION + " is about generation " + observed.asText() + ", the policy is at "
                        + s.generation() + " (stale status)");
            }
            return Verdict.pass(what + ": " + quoted);
        }
        return Verdict.fail(what + ": istiod wrote " + seen + " but no " + CONDITION + " condition (the policy was not converted for ztunnel)");
    }
}
