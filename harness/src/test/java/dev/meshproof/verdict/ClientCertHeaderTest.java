package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.httpError;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.pod;
import static dev.meshproof.verdict.EvidenceBuilder.reset;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClientCertHeader} on the real X-Forwarded-Client-Cert value of the istio.io ext-authz task
 * ({@code By=spiffe://cluster.local/ns/foo/sa/httpbin;…;URI=spiffe://cluster.local/ns/foo/sa/sleep}): the facts name
 * the client "client" (namespace foo, SA sleep) and the server "echo" (foo, httpbin). Failing variants are minimal
 * edits of that value.
 */
class ClientCertHeaderTest {
    private static final String STEP_NAME = "client admitted under STRICT";
    private static final Step STEP = Step.expect(STEP_NAME, CallExpectation.ADMITTED);
    /** xfcc-header.txt is the header value plus a trailing newline (README); an HTTP header value has no newline. */
    private static final String XFCC = upstream("xfcc-header.txt").stripTrailing();

    private static EvidenceBuilder sleepToHttpbin() {
        return evidence().dataPlane("sidecar")
                .workload("client", "foo", "sleep", pod("sleep-9454cc476-8qvnv", "10.44.1.23"))
                .workload("echo", "foo", "httpbin", pod("httpbin-74fb669cc6-m5xgx", "10.44.1.27"));
    }

    /** An ok call whose echo shows the request headers the server saw (names lower case, as the agent reports them). */
    private static CallResult okWithHeaders(Map<String, List<String>> headers) {
        return ok(echo("httpbin-74fb669cc6-m5xgx", "foo", "httpbin", headers));
    }

    private static CallResult okWithXfcc(String value) {
        return okWithHeaders(Map.of("x-forwarded-client-cert", List.of(value), "accept", List.of("*/*")));
    }

    private static Verdict judge(CallResult... results) {
        Evidence e = sleepToHttpbin().step(STEP_NAME, 0, 100, 0, 0).probe(STEP_NAME, Probe.ONCE, 0, response(results)).build();
        return ClientCertHeader.judge(e, STEP, "client", "echo");
    }

    @Test
    void theHeaderFileIsTheValueHttpbinShowed() throws Exception {
        JsonNode json = Json.MAPPER.readTree(upstream("xfcc-httpbin-headers.json"));

        assertThat(json.get("headers").get("X-Forwarded-Client-Cert").asText()).isEqualTo(XFCC);
        assertThat(XFCC).startsWith("By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=").endsWith(";Subject=\"\";URI=spiffe://cluster.local/ns/foo/sa/sleep");
    }

    @Test
    void passWithTheRealHeaderValue() {
        Verdict v = judge(okWithXfcc(XFCC), okWithXfcc(XFCC));

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("all 2 calls").contains("/ns/foo/sa/sleep").contains("/ns/foo/sa/httpbin");
    }

    @Test
    void theHeaderNameIsMatchedAsTheAgentReportsIt() {
        EchoReply reply = echo("httpbin-74fb669cc6-m5xgx", "foo", "httpbin", Map.of("x-forwarded-client-cert", List.of(XFCC)));

        assertThat(reply.header("X-Forwarded-Client-Cert")).isEqualTo(XFCC);
    }

    @Test
    void failWhenTheHeaderIsMissingOnAnOkCall() {
        Verdict v = judge(okWithXfcc(XFCC), okWithHeaders(Map.of("accept", List.of("*/*"))));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("saw none").contains("calls.jsonl #1").contains("did not arrive over mutual TLS");
    }

    @Test
    void failWhenTheUriNamesAnotherServiceAccount() {
        // Edit: URI=…/sa/sleep → …/sa/notsleep.
        String other = edit(XFCC, "URI=spiffe://cluster.local/ns/foo/sa/sleep", "URI=spiffe://cluster.local/ns/foo/sa/notsleep");

        Verdict v = judge(okWithXfcc(other));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("URI is spiffe://cluster.local/ns/foo/sa/notsleep, not the client");
    }

    @Test
    void failWhenTheUriMerelyContainsTheClientsPath() {
        // Edit: URI=…/sa/sleep → …/sa/sleep-evil.
        String other = edit(XFCC, "URI=spiffe://cluster.local/ns/foo/sa/sleep", "URI=spiffe://cluster.local/ns/foo/sa/sleep-evil");

        assertThat(judge(okWithXfcc(other)).status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void failWhenByNamesAnotherServer() {
        // Edit: By=…/sa/httpbin → …/sa/productpage.
        String other = edit(XFCC, "By=spiffe://cluster.local/ns/foo/sa/httpbin", "By=spiffe://cluster.local/ns/foo/sa/productpage");

        Verdict v = judge(okWithXfcc(other));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("By is spiffe://cluster.local/ns/foo/sa/productpage, not the server");
    }

    @Test
    void failWhenTheUriIsMissing() {
        // Edit: the URI element removed.
        String noUri = edit(XFCC, ";URI=spiffe://cluster.local/ns/foo/sa/sleep", "");

        assertThat(judge(okWithXfcc(noUri)).status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void theLastElementIsTheHopIntoTheServer() {
        // A header appended by two proxies: the earlier element names another client, the last (real) one ours.
        String earlier = edit(XFCC, "sa/sleep", "sa/gateway");

        assertThat(judge(okWithXfcc(earlier + "," + XFCC)).status()).isEqualTo(Verdict.Status.PASS);
        assertThat(judge(okWithXfcc(XFCC + "," + earlier)).status()).isEqualTo(Verdict.Status.FAIL);
    }

    @Test
    void inconclusiveWhenNoCallWasOk() {
        Verdict v = judge(reset(), httpError(403, upstream("rbac-403-body.txt")));

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("no HTTP call of '" + STEP_NAME + "' reached the server");
    }

    @Test
    void inconclusiveWhenTheStepHasNoProbes() {
        Evidence e = sleepToHttpbin().probe("another step", 0, okWithXfcc(XFCC)).build();

        assertThat(ClientCertHeader.judge(e, STEP, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }
}
