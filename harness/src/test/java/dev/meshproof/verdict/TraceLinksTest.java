package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.evidence.MalformedEvidenceException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceLinksTest {
    static final Step TRACED = Step.expect("traced", CallExpectation.ADMITTED);
    static final Step UNSAMPLED = Step.expect("unsampled", CallExpectation.ADMITTED);
    static final String URL = "http://echo.srv.svc.cluster.local:8080/echo";
    static final String HOST = "echo.srv.svc.cluster.local";
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_SENT = "00f067aa0ba902b7";
    static final String RID = "b2d7d0c6-9f4e-4b7a-8a52-0b2c1d7e9a11";
    static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

    static CallResult call(String trace, String parent, String flags, String rid) {
        return ok(echo("echo-v1-abc", "srv", "echo")).stamped(Map.of("x-request-id", rid, "traceparent", "00-" + trace + "-" + parent + "-" + flags));
    }

    static Map<String, String> tags(String cluster) {
        return Map.of("http.method", "GET", "http.status_code", "200", "upstream_cluster", cluster, "guid:x-request-id", RID, "component", "proxy");
    }

    static EvidenceBuilder ambient(String spans) {
        return evidence().dataPlane("ambient").probe(TRACED.name(), CallRequest.to(URL), response(call(TRACE, CLIENT_SENT, "01", RID)))
                .collected(TraceLinks.collectedName(TRACE), spans);
    }

    static String waypointSpan(String traceId, String parent) {
        return Spans.span(traceId, "a1b2c3d4e5f60718", parent, 2, tags("inbound-vip|8080|http|" + HOST));
    }

    @Test
    void ambientOneWaypointSpanChildOfTheClientsSpanPasses() {
        Verdict v = TraceLinks.judge(ambient(waypointSpan(TRACE, CLIENT_SENT)).build(), TRACED);
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void idsInUpperCaseAreAccepted() {
        Verdict v = TraceLinks.judge(ambient(waypointSpan(TRACE.toUpperCase(), CLIENT_SENT.toUpperCase())).build(), TRACED);
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void trapSpansOfAnotherTraceDoNotCount() {
        Verdict v = TraceLinks.judge(ambient(waypointSpan(OTHER_TRACE, CLIENT_SENT)).build(), TRACED);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("no span arrived");
    }

    @Test
    void trapAParentThatIsNotTheClientsFails() {
        Verdict v = TraceLinks.judge(ambient(waypointSpan(TRACE, "1111111111111111")).build(), TRACED);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("parent is '1111111111111111', not the span id the client sent (" + CLIENT_SENT + ")");
    }

    @Test
    void trapADuplicatedSpanFails() {
        Verdict v = TraceLinks.judge(ambient(Spans.merged(waypointSpan(TRACE, CLIENT_SENT), waypointSpan(TRACE, CLIENT_SENT))).build(), TRACED);
        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("2 spans, expected exactly one from the waypoint");
    }

    @Test
    void wrongAttributesFail() {
        String wrongStatus = Spans.span(TRACE, "a1b2c3d4e5f60718", CLIENT_SENT, 2, Map.of("http.method", "GET", "http.status_code", "503",
                "upstream_cluster", "inbound-vip|8080|http|" + HOST, "guid:x-request-id", RID));
        assertThat(TraceLinks.judge(ambient(wrongStatus).build(), TRACED).line()).contains("http.status_code is '503', not the 200");
        String otherService = Spans.span(TRACE, "a1b2c3d4e5f60718", CLIENT_SENT, 2, tags("inbound-vip|8080|http|other.srv.svc.cluster.local"));
        assertThat(TraceLinks.judge(ambient(otherService).build(), TRACED).line()).contains("upstream_cluster is 'inbound-vip|8080|http|other.srv");
        String otherRequest = Spans.span(TRACE, "a1b2c3d4e5f60718", CLIENT_SENT, 2, Map.of("http.method", "GET", "http.status_code", "200",
                "upstream_cluster", "inbound-vip|8080|http|" + HOST, "guid:x-request-id", "another"));
        assertThat(TraceLinks.judge(ambient(otherRequest).build(), TRACED).line()).contains("guid:x-request-id is 'another'");
    }

    @Test
    void semanticConventionNamesAreAccepted() {
        String semconv = Spans.span(TRACE, "a1b2c3d4e5f60718", CLIENT_SENT, 2, Map.of("http.request.method", "GET", "http.response.status_code", "200",
                "upstream_cluster.name", "inbound-vip|8080|http|" + HOST, "guid:x-request-id", RID));
        assertThat(TraceLinks.judge(ambient(semconv).build(), TRACED).status()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void absentSpansNeverPass() {
        assertThat(TraceLinks.judge(ambient(Spans.none()).build(), TRACED).status()).isEqualTo(Verdict.Status.FAIL);
        Verdict notCollected = TraceLinks.judge(evidence().probe(TRACED.name(), CallRequest.to(URL), response(call(TRACE, CLIENT_SENT, "01", RID))).build(), TRACED);
        assertThat(notCollected.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(notCollected.line()).contains("were not collected");
        assertThat(TraceLinks.judge(evidence().build(), TRACED).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void sidecarClientAndServerSpansLinkedPass() {
        String client = Spans.span(TRACE, "c1c1c1c1c1c1c1c1", CLIENT_SENT, 3, tags("outbound|8080||" + HOST));
        String server = Spans.span(TRACE, "5e5e5e5e5e5e5e5e", "c1c1c1c1c1c1c1c1", 2, tags("inbound|8080||"));
        EvidenceBuilder e = evidence().dataPlane("sidecar").probe(TRACED.name(), CallRequest.to(URL), response(call(TRACE, CLIENT_SENT, "01", RID)));
        Verdict v = TraceLinks.judge(e.collected(TraceLinks.collectedName(TRACE), Spans.merged(server, client)).build(), TRACED);
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);

        String serverNotChild = Spans.span(TRACE, "5e5e5e5e5e5e5e5e", CLIENT_SENT, 2, tags("inbound|8080||"));
        Verdict broken = TraceLinks.judge(evidence().dataPlane("sidecar").probe(TRACED.name(), CallRequest.to(URL), response(call(TRACE, CLIENT_SENT, "01", RID)))
                .collected(TraceLinks.collectedName(TRACE), Spans.merged(client, serverNotChild)).build(), TRACED);
        assertThat(broken.line()).contains("the server sidecar's span's parent is '" + CLIENT_SENT + "', not the client sidecar's span (c1c1c1c1c1c1c1c1)");

        Verdict onlyClient = TraceLinks.judge(evidence().dataPlane("sidecar").probe(TRACED.name(), CallRequest.to(URL), response(call(TRACE, CLIENT_SENT, "01", RID)))
                .collected(TraceLinks.collectedName(TRACE), client).build(), TRACED);
        assertThat(onlyClient.line()).contains("1 span(s) (1 CLIENT, 0 SERVER)");
    }

    @Test
    void aControlRequestWithSpansFailsAndOneNotReadIsInconclusive() {
        CallResult unsampled = ok(echo("echo-v1-abc", "srv", "echo")).stamped(Map.of("x-request-id", "r2"));
        CallRequest withHeader = CallRequest.to(URL).withHeaders(Map.of("traceparent", "00-" + OTHER_TRACE + "-" + CLIENT_SENT + "-00"));
        EvidenceBuilder e = ambient(waypointSpan(TRACE, CLIENT_SENT)).probe(UNSAMPLED.name(), withHeader, response(unsampled));
        assertThat(TraceLinks.judge(e.build(), TRACED, UNSAMPLED).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(TraceLinks.judge(e.collected(TraceLinks.collectedName(OTHER_TRACE), Spans.none()).build(), TRACED, UNSAMPLED).status())
                .isEqualTo(Verdict.Status.PASS);
        Verdict traced = TraceLinks.judge(ambient(waypointSpan(TRACE, CLIENT_SENT)).probe(UNSAMPLED.name(), withHeader, response(unsampled))
                .collected(TraceLinks.collectedName(OTHER_TRACE), waypointSpan(OTHER_TRACE, CLIENT_SENT)).build(), TRACED, UNSAMPLED);
        assertThat(traced.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(traced.line()).contains("control 'unsampled': 1 span(s) arrived");
    }

    @Test
    void aCollectedBodyThatIsNotOtlpIsMalformedEvidence() {
        assertThatThrownBy(() -> TraceLinks.judge(ambient("<html>").build(), TRACED)).isInstanceOf(MalformedEvidenceException.class);
    }
}
