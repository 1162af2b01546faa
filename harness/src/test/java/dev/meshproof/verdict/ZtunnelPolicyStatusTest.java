package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.evidence.ObjectStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.meshproof.verdict.EvidenceBuilder.T0;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ZtunnelPolicyStatus} on istiod's status as it writes it: the verbatim status of Istio's condition-analyzer test data
 * (a CUSTOM policy ztunnel refuses) and the L7 ALLOW status assembled from istiod's own test message (upstream README).
 */
class ZtunnelPolicyStatusTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The HTTP attributes of istiod's test case "unsupported HTTP methods", in istiod's (sorted) order. */
    private static final List<String> FOUND = List.of("methods", "request.auth.presenter", "requestPrincipals");

    private static Optional<ObjectStatus> recorded(String yaml, Long generation) {
        try {
            JsonNode doc = YAML.readTree(yaml);
            return Optional.of(new ObjectStatus("AuthorizationPolicy", "default", doc.path("metadata").path("name").asText(), generation, T0,
                    doc.get("status"), true));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final String L7_ALLOW = upstream("authorizationpolicy-status-l7-allow-assembled-1.29.6.yaml");

    @Test
    void theL7AllowWarningPasses() {
        Verdict v = ZtunnelPolicyStatus.httpRulesOmitted(recorded(L7_ALLOW, 1L), "default/p", FOUND);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.reasons()).singleElement().asString().contains("ZtunnelAccepted status True, reason UnsupportedValue")
                .contains("Within an ALLOW policy, rules matching HTTP attributes are omitted.");
    }

    @Test
    void anotherListOfHttpAttributesFails() {
        Verdict v = ZtunnelPolicyStatus.httpRulesOmitted(recorded(L7_ALLOW, 1L), "default/p", List.of("methods", "paths"));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.reasons()).singleElement().asString().contains("(found: methods, paths)").contains("got ZtunnelAccepted status True");
    }

    @Test
    void theDenyWarningIsNotTheAllowOne() {
        String deny = edit(L7_ALLOW, "Within an ALLOW policy, rules matching HTTP attributes are omitted.",
                "DENY policy with HTTP attributes is enforced without the HTTP rules.");

        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(recorded(deny, 1L), "default/p", FOUND).status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void anUnsupportedActionIsNotTheL7Warning() {
        Verdict v = ZtunnelPolicyStatus.httpRulesOmitted(recorded(upstream("authorizationpolicy-status-custom-unsupported-1.29.6.yaml"), 1L),
                "default/negative-condition-authz", FOUND);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.reasons()).singleElement().asString().contains("ZtunnelAccepted status False").contains("'ztunnel does not support the CUSTOM action'");
    }

    @Test
    void acceptedWithoutWarningFails() {
        String accepted = edit(edit(L7_ALLOW, "reason: UnsupportedValue", "reason: Accepted"),
                L7_ALLOW.substring(L7_ALLOW.indexOf("'ztunnel"), L7_ALLOW.indexOf("requested.'") + "requested.'".length()), "attached to ztunnel");

        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(recorded(accepted, 1L), "default/p", FOUND).status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void noStatusIsInconclusiveAndNamesTheSetting() {
        Optional<ObjectStatus> none = Optional.of(new ObjectStatus("AuthorizationPolicy", "default", "p", 1L, T0, null, true));

        Verdict v = ZtunnelPolicyStatus.httpRulesOmitted(none, "default/p", FOUND);
        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.reasons()).singleElement().asString().contains("AMBIENT_ENABLE_STATUS");
        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(Optional.empty(), "default/p", FOUND).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(Optional.of(ObjectStatus.absent("AuthorizationPolicy", "default", "p")), "default/p", FOUND)
                .status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void otherConditionsWithoutZtunnelAcceptedFail() {
        String waypointOnly = edit(L7_ALLOW, "type: ZtunnelAccepted", "type: WaypointAccepted");

        Verdict v = ZtunnelPolicyStatus.httpRulesOmitted(recorded(waypointOnly, 1L), "default/p", FOUND);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.reasons()).singleElement().asString().contains("[WaypointAccepted=True (UnsupportedValue)]");
    }

    @Test
    void aConditionAboutAnOlderGenerationIsInconclusive() throws Exception {
        Optional<ObjectStatus> s = recorded(L7_ALLOW, 2L);
        ((ObjectNode) s.get().status().path("conditions").get(0)).put("observedGeneration", "1");

        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(s, "default/p", FOUND).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        ((ObjectNode) s.get().status().path("conditions").get(0)).put("observedGeneration", "2");
        assertThat(ZtunnelPolicyStatus.httpRulesOmitted(s, "default/p", FOUND).status()).isEqualTo(Verdict.Status.PASS);
    }
}
