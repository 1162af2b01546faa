package dev.meshproof.verdict;

import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.closed;
import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.httpError;
import static dev.meshproof.verdict.EvidenceBuilder.httpErrorFromServer;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.refused;
import static dev.meshproof.verdict.EvidenceBuilder.reset;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.tcpOk;
import static dev.meshproof.verdict.EvidenceBuilder.timeout;
import static dev.meshproof.verdict.EvidenceBuilder.tree;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CallExpectation}, chiefly {@link CallExpectation#DENIED} = Istio's {@code CheckDeny} (upstream check-deny.md):
 * EOF (closed), connection reset, HTTP 403, HTTP 503 — never ok, never a time-out. Responses go through the agent's
 * JSON first, as the evidence stores them.
 */
class CallExpectationTest {
    /** Envoy's RBAC filter's 403 body, verbatim (19 bytes, no newline). */
    private static final String RBAC_BODY = upstream("rbac-403-body.txt");

    /** The response as read back from evidence: written with the agent's mapper, parsed with it. */
    private static CallResponse recorded(CallResult... results) {
        try {
            return Json.MAPPER.treeToValue(tree(response(results)), CallResponse.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static CallResult echoOk() {
        return ok(echo("echo-v1-6d9f7b8c5-x2x9k", "mp-server", "echo"));
    }

    @Test
    void theRbacBodyIsEnvoysExactLocalReply() {
        assertThat(RBAC_BODY).isEqualTo("RBAC: access denied").hasSize(19);
    }

    @Test
    void deniedAcceptsEachOfIstiosCheckDenyForms() {
        assertThat(CallExpectation.DENIED.unmet(recorded(reset(), reset()))).isNull();
        assertThat(CallExpectation.DENIED.unmet(recorded(closed()))).isNull();
        assertThat(CallExpectation.DENIED.unmet(recorded(httpError(403, RBAC_BODY)))).isNull();
        assertThat(CallExpectation.DENIED.unmet(recorded(httpError(503, null)))).isNull();
        assertThat(CallExpectation.DENIED.unmet(recorded(httpError(503, "no healthy upstream")))).isNull();
    }

    @Test
    void deniedRejectsOkTimeoutAndRefused() {
        assertThat(CallExpectation.DENIED.unmet(recorded(echoOk()))).startsWith("call 1 of 1 was none of").contains("ok 200 from echo-v1-6d9f7b8c5-x2x9k");
        assertThat(CallExpectation.DENIED.unmet(recorded(tcpOk("meshproof-ping")))).contains("ok");
        assertThat(CallExpectation.DENIED.unmet(recorded(timeout()))).contains("timeout");
        assertThat(CallExpectation.DENIED.unmet(recorded(refused()))).contains("refused").contains("Connection refused");
    }

    @Test
    void deniedRejectsOtherHttpErrors() {
        assertThat(CallExpectation.DENIED.isMetBy(recorded(httpError(404, "not found")))).isFalse();
        assertThat(CallExpectation.DENIED.isMetBy(recorded(httpError(502, null)))).isFalse();
    }

    @Test
    void deniedRejectsA403Or503ThatCarriesTheEchoServersReply() {
        // The server answered: the status came from the application, not from the mesh.
        String unmet = CallExpectation.DENIED.unmet(recorded(httpErrorFromServer(403, echo("echo-v1-6d9f7b8c5-x2x9k", "mp-server", "echo"))));

        assertThat(unmet).isNotNull().contains("http_error 403 from echo-v1-6d9f7b8c5-x2x9k");
        assertThat(CallExpectation.DENIED.isMetBy(recorded(httpErrorFromServer(503, echo("echo-v1-6d9f7b8c5-x2x9k", "mp-server", "echo"))))).isFalse();
    }

    @Test
    void deniedRejectsAnEmptyResponse() {
        assertThat(CallExpectation.DENIED.unmet(recorded())).isEqualTo("no call completed");
        assertThat(CallExpectation.DENIED.unmet(null)).isEqualTo("no call completed");
        assertThat(CallExpectation.ADMITTED.unmet(recorded())).isEqualTo("no call completed");
    }

    @Test
    void aResponseMixingResetAndClosedIsDenied() {
        assertThat(CallExpectation.DENIED.isMetBy(recorded(reset(), closed(), reset()))).isTrue();
        assertThat(CallExpectation.DENIED.isMetBy(recorded(reset(), httpError(403, RBAC_BODY), closed()))).isTrue();
        assertThat(CallExpectation.REFUSED_AT_L4.isMetBy(recorded(closed(), reset()))).isTrue();
    }

    @Test
    void aResponseWithOneOkAmongResetsIsNotDenied() {
        String unmet = CallExpectation.DENIED.unmet(recorded(reset(), echoOk(), reset()));

        assertThat(unmet).startsWith("call 2 of 3 was none of").contains("ok 200");
    }

    @Test
    void refusedAtL4AndL7AreDistinct() {
        assertThat(CallExpectation.REFUSED_AT_L4.isMetBy(recorded(httpError(403, RBAC_BODY)))).isFalse();
        assertThat(CallExpectation.REFUSED_AT_L7.isMetBy(recorded(reset()))).isFalse();
        assertThat(CallExpectation.REFUSED_AT_L7.isMetBy(recorded(httpError(403, RBAC_BODY)))).isTrue();
        assertThat(CallExpectation.REFUSED_AT_L7.unmet(recorded(httpError(403, RBAC_BODY), reset()))).startsWith("call 2 of 2");
    }

    @Test
    void theUnmetReasonQuotesTheRbacBody() {
        assertThat(CallExpectation.ADMITTED.unmet(recorded(httpError(403, RBAC_BODY))))
                .contains("http_error 403 \"RBAC: access denied\"");
    }

    @Test
    void admittedRequiresOkAndAnEchoOrATcpReply() {
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(echoOk(), echoOk()))).isTrue();
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(tcpOk("meshproof-ping")))).isTrue();
        // ok but answered by something that is not the echo server (no echo, no TCP reply)
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(new CallResult(Outcome.OK, 200, 1000, null, "<html>", null, null)))).isFalse();
        // the server answered, but with an error status
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(httpErrorFromServer(403, echo("echo-v1-6d9f7b8c5-x2x9k", "mp-server", "echo"))))).isFalse();
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(echoOk(), reset()))).isFalse();
        assertThat(CallExpectation.ADMITTED.isMetBy(recorded(timeout()))).isFalse();
    }

    @Test
    void answeredByChecksTheServersServiceAccount() {
        CallExpectation e = CallExpectation.answeredBy("echo");

        assertThat(e.isMetBy(recorded(echoOk()))).isTrue();
        assertThat(e.unmet(recorded(ok(echo("echo-v2-7c8d-abcde", "mp-server", "echo-v2"))))).contains("answered by service account echo");
        assertThat(e.isMetBy(recorded(tcpOk("meshproof-ping")))).isFalse();
    }

    @Test
    void statusAndAllOkAndAnd() {
        assertThat(CallExpectation.status(403).isMetBy(recorded(httpError(403, RBAC_BODY)))).isTrue();
        assertThat(CallExpectation.status(403).isMetBy(recorded(httpError(503, null)))).isFalse();
        assertThat(CallExpectation.allOk().isMetBy(recorded(echoOk(), tcpOk("x")))).isTrue();
        assertThat(CallExpectation.allOk().isMetBy(recorded(echoOk(), closed()))).isFalse();
        CallExpectation both = CallExpectation.allOk().and(CallExpectation.answeredBy("echo"));
        assertThat(both.isMetBy(recorded(echoOk()))).isTrue();
        assertThat(both.unmet(recorded(tcpOk("x")))).contains("answered by service account echo");
    }

    @Test
    void theRecordedJsonUsesTheAgentsWireNames() {
        var node = tree(response(reset(), closed(), httpError(403, RBAC_BODY)));

        assertThat(node.get("results").get(0).get("outcome").asText()).isEqualTo("reset");
        assertThat(node.get("results").get(2).get("outcome").asText()).isEqualTo("http_error");
        assertThat(node.get("results").get(2).get("body").asText()).isEqualTo("RBAC: access denied");
        assertThat(recorded(reset(), closed()).summary()).isEqualTo(Map.of(Outcome.RESET, 1, Outcome.CLOSED, 1));
        assertThat(recorded(reset()).results()).isEqualTo(List.of(reset()));
    }
    @Test
    void rbacDeniedIsEnvoysRbac403WithItsExactBody() {
        assertThat(CallExpectation.RBAC_DENIED_BODY).isEqualTo(RBAC_BODY);
        assertThat(CallExpectation.RBAC_DENIED.unmet(recorded(httpError(403, RBAC_BODY), httpError(403, RBAC_BODY)))).isNull();
    }

    @Test
    void rbacDeniedRejectsA403FromTheApplication() {
        // trap: the echo server itself answered 403 (the request passed the proxy)
        String unmet = CallExpectation.RBAC_DENIED.unmet(recorded(httpErrorFromServer(403, echo("echo-v1-6d9f7b8c5-x2x9k", "mp-server", "echo"))));

        assertThat(unmet).isNotNull().contains("http_error 403 from echo-v1-6d9f7b8c5-x2x9k");
        assertThat(CallExpectation.DENIED.isMetBy(recorded(httpError(403, "Forbidden")))).as("CheckDeny accepts any 403").isTrue();
    }

    @Test
    void rbacDeniedRejectsA403WithAnotherBodyAndEveryOtherRefusal() {
        assertThat(CallExpectation.RBAC_DENIED.unmet(recorded(httpError(403, "Forbidden")))).contains("http_error 403 \"Forbidden\"");
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(httpError(403, RBAC_BODY + "\n")))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(httpError(403, null)))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(httpError(503, RBAC_BODY)))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(reset()))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(closed()))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.isMetBy(recorded(echoOk()))).isFalse();
        assertThat(CallExpectation.RBAC_DENIED.unmet(recorded(httpError(403, RBAC_BODY), echoOk()))).startsWith("call 2 of 2");
        assertThat(CallExpectation.RBAC_DENIED.unmet(recorded())).isEqualTo("no call completed");
    }

    private static CallResult fromVersion(String version) {
        return ok(new dev.meshproof.agent.EchoReply("GET", "/echo", null, "HTTP/1.1", Map.of(), "echo-" + version + "-6d9f7b8c5-x2x9k", "mp-server",
                "echo", version, "10.244.1.12", 58508, null));
    }

    @Test
    void answeredByVersionReadsTheEchoBodysVersion() {
        assertThat(CallExpectation.answeredByVersion("v2").unmet(recorded(fromVersion("v2"), fromVersion("v2")))).isNull();
        assertThat(CallExpectation.answeredByVersion("v2").unmet(recorded(fromVersion("v2"), fromVersion("v1"))))
                .isEqualTo("call 2 of 2 was not ok and answered by v2: ok 200 from echo-v1-6d9f7b8c5-x2x9k (sa echo)");
        // a proxy's 503 is no version's answer
        assertThat(CallExpectation.answeredByVersion("v1").isMetBy(recorded(httpError(503, "no healthy upstream")))).isFalse();
    }

    @Test
    void answeredByEachNeedsEveryVersionAndEveryCallAnswered() {
        CallExpectation spread = CallExpectation.answeredByEach("v1", "v2");
        assertThat(spread.unmet(recorded(fromVersion("v1"), fromVersion("v2"), fromVersion("v1")))).isNull();
        assertThat(spread.unmet(recorded(fromVersion("v1"), fromVersion("v1")))).isEqualTo("none of 2 calls was answered by v2 (answered by [v1])");
        assertThat(spread.isMetBy(recorded(fromVersion("v1"), fromVersion("v2"), reset()))).isFalse();
        assertThat(spread.unmet(recorded())).isEqualTo("no call completed");
    }
}
