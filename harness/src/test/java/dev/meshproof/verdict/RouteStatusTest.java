package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.evidence.ObjectStatus;
import dev.meshproof.verdict.Verdict.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.meshproof.verdict.EvidenceBuilder.T0;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RouteStatus} on Istio's own GAMMA status golden (upstream httproute-status-mesh-service-parent-1.29.6.yaml:
 * HTTPRoute {@code header}, parent Service {@code echo}) and variants derived from it by minimal edits, with the
 * condition texts of istio/istio@1.29.6:pilot/pkg/config/kube/gateway/conditions.go.
 */
class RouteStatusTest {
    private static final String GOLDEN = upstream("httproute-status-mesh-service-parent-1.29.6.yaml");
    private static final RouteStatus JUDGE = RouteStatus.httpRouteOnService("header", "echo");
    /** The condition istiod adds with ambient enabled (conditions.go l.172-181, 263-264; conditions_test.go l.59). */
    private static final String RESOLVED_WAYPOINTS = """
                - lastTransitionTime: fake
                  message: All waypoints resolved
                  reason: ResolvedWaypoints
                  status: "True"
                  type: ResolvedWaypoints
                controllerName: istio.io/gateway-controller
            """;
    private static final String MISSING_LABEL = "istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected";

    private static Optional<ObjectStatus> recorded(String yaml, Long generation) {
        try {
            JsonNode route = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            return Optional.of(new ObjectStatus("HTTPRoute", "default", "header", generation, T0, route.get("status"), true));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String ambientGolden(String message) {
        return edit(GOLDEN, "    controllerName: istio.io/gateway-controller\n", RESOLVED_WAYPOINTS.replace("All waypoints resolved", message));
    }

    @Test
    void istiosGoldenPassesInSidecarMode() {
        Verdict v = JUDGE.judge(recorded(GOLDEN, null), false);
        assertThat(v.status()).as(v.line()).isEqualTo(Status.PASS);
        assertThat(v.reasons()).containsExactly(
                "HTTPRoute header status for parent Service echo: Accepted True (Accepted: Route was valid)",
                "HTTPRoute header status for parent Service echo: ResolvedRefs True (ResolvedRefs: All references resolved)");
    }

    @Test
    void inAmbientTheWaypointMustResolve() {
        assertThat(JUDGE.judge(recorded(ambientGolden("All waypoints resolved"), null), true).status()).isEqualTo(Status.PASS);
        // the golden was rendered without ambient: nothing says a waypoint will apply the route
        Verdict without = JUDGE.judge(recorded(GOLDEN, null), true);
        assertThat(without.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(without.line()).contains("ResolvedWaypoints missing");
    }

    @Test
    void aMissingWaypointLabelFailsThoughIstioSaysTrue() {
        Verdict v = JUDGE.judge(recorded(ambientGolden(MISSING_LABEL), null), true);
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.line()).contains("ResolvedWaypoints says \"" + MISSING_LABEL + "\" (status True");
        // sidecars apply routes themselves: the condition does not count there
        assertThat(JUDGE.judge(recorded(ambientGolden(MISSING_LABEL), null), false).status()).isEqualTo(Status.PASS);
    }

    @Test
    void aRouteNeverAcceptedFailsWithTheConditionsMessage() {
        String notAccepted = edit(edit(edit(GOLDEN, "message: Route was valid", "message: 'parent service: \"echo\" not found'"),
                "reason: Accepted", "reason: NoMatchingParent"), "status: \"True\"\n      type: Accepted", "status: \"False\"\n      type: Accepted");
        Verdict v = JUDGE.judge(recorded(notAccepted, null), false);
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.reasons()).contains("HTTPRoute header status for parent Service echo: Accepted False (NoMatchingParent: parent service: \"echo\" not found)");
    }

    @Test
    void unresolvedReferencesFail() {
        String unresolved = edit(GOLDEN, "status: \"True\"\n      type: ResolvedRefs", "status: \"False\"\n      type: ResolvedRefs");
        assertThat(JUDGE.judge(recorded(unresolved, null), false).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void anotherParentsOrControllersStatusIsNotOurs() {
        Verdict wrongParent = JUDGE.judge(recorded(edit(GOLDEN, "      name: echo", "      name: other"), null), false);
        assertThat(wrongParent.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(wrongParent.line()).contains("no entry for parent Service echo").contains("only Service/other by istio.io/gateway-controller");
        Verdict wrongController = JUDGE.judge(recorded(edit(GOLDEN, "istio.io/gateway-controller", "example.com/other-mesh"), null), false);
        assertThat(wrongController.status()).isEqualTo(Status.INCONCLUSIVE);
    }

    @Test
    void aConditionOfAnOlderGenerationIsStale() {
        String observed = edit(edit(GOLDEN, "      message: Route was valid\n", "      message: Route was valid\n      observedGeneration: 1\n"),
                "      message: All references resolved\n", "      message: All references resolved\n      observedGeneration: 1\n");
        assertThat(JUDGE.judge(recorded(observed, 1L), false).status()).isEqualTo(Status.PASS);
        Verdict stale = JUDGE.judge(recorded(observed, 2L), false);
        assertThat(stale.status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(stale.line()).contains("is for generation 1, the route is at generation 2: stale");
    }

    @Test
    void noStatusIsNeverAcceptance() {
        assertThat(JUDGE.judge(Optional.empty(), false).status()).isEqualTo(Status.INCONCLUSIVE);
        assertThat(JUDGE.judge(Optional.of(new ObjectStatus("HTTPRoute", "default", "header", 1L, T0, null, true)), false).line())
                .startsWith("INCONCLUSIVE: ").contains("a route without status is not an accepted route");
        assertThat(JUDGE.judge(Optional.of(ObjectStatus.absent("HTTPRoute", "default", "header")), true).status()).isEqualTo(Status.INCONCLUSIVE);
    }
}
