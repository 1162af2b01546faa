package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.httpError;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static dev.meshproof.verdict.EvidenceBuilder.upstreamLine;
import static org.assertj.core.api.Assertions.assertThat;

/** On Istio's own sample lines: {@code sleep} → {@code httpbin.foo:8000/status/418}, x-request-id 84961386-…. */
class ProxyAccessLogTest {
    static final Step LOGGED = Step.expect("logged", CallExpectation.ADMITTED);
    static final Step BEFORE = Step.expect("before", CallExpectation.ADMITTED);
    static final String URL = "http://httpbin.foo.svc.cluster.local:8000/status/418";
    static final String RID = "84961386-6d84-929d-98bd-c5aee93b5c88";
    static final String CLIENT_LINE = upstreamLine("envoy-access-log-default-text-client.txt", 1);
    static final String SERVER_LINE = upstreamLine("envoy-access-log-default-text-server.txt", 1);
    /** The client line as a waypoint logs it: its cluster is the Service's inbound-vip subset key. */
    static final String WAYPOINT_LINE = edit(CLIENT_LINE, "outbound|8000||httpbin.foo.svc.cluster.local", "inbound-vip|8000|http|httpbin.foo.svc.cluster.local");

    static CallResult teapot(String rid) {
        return new CallResult(dev.meshproof.agent.call.Outcome.HTTP_ERROR, 418, 900, echo("httpbin-1", "foo", "httpbin"), null, null, null)
                .stamped(Map.of("x-request-id", rid));
    }

    static EvidenceBuilder sidecar(String... logs) {
        EvidenceBuilder e = evidence().dataPlane("sidecar").probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID)));
        for (int i = 0; i < logs.length; i++) {
            e.log(i == 0 ? "default/sleep-1" : "foo/httpbin-1", logs[i]);
        }
        return e;
    }

    @Test
    void sidecarsOutboundAndInboundRecordsFoundByRequestIdPass() {
        Verdict v = ProxyAccessLog.judge(sidecar(CLIENT_LINE + "\n", SERVER_LINE + "\n").build(), List.of(LOGGED), List.of());
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void trapLinesOutOfOrderAmongOthersStillMatch() {
        String other = edit(CLIENT_LINE, RID, "00000000-0000-0000-0000-000000000000");
        Verdict v = ProxyAccessLog.judge(sidecar(other + "\n" + SERVER_LINE + "\n", other + "\n" + CLIENT_LINE + "\n").build(), List.of(LOGGED), List.of());
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void ambientOneWaypointRecordInTextOrJsonPasses() {
        EvidenceBuilder text = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID))).log("foo/waypoint-1", WAYPOINT_LINE + "\n");
        assertThat(ProxyAccessLog.judge(text.build(), List.of(LOGGED), List.of()).status()).isEqualTo(Verdict.Status.PASS);
        EvidenceBuilder json = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID)))
                .log("foo/waypoint-1", upstream("envoy-access-log-assembled-json-waypoint.txt"));
        assertThat(ProxyAccessLog.judge(json.build(), List.of(LOGGED), List.of()).status()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void missingDuplicatedOrWrongRecordsFail() {
        assertThat(ProxyAccessLog.judge(sidecar(CLIENT_LINE + "\n", "").build(), List.of(LOGGED), List.of()).line())
                .contains("1 record(s) with this x-request-id (1 outbound, 0 inbound)");
        EvidenceBuilder twice = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID))).log("foo/waypoint-1", WAYPOINT_LINE + "\n" + WAYPOINT_LINE + "\n");
        assertThat(ProxyAccessLog.judge(twice.build(), List.of(LOGGED), List.of()).line()).contains("2 records with this x-request-id, expected exactly one");
        String flagged = edit(SERVER_LINE, "418 - via_upstream", "418 UF via_upstream");
        assertThat(ProxyAccessLog.judge(sidecar(CLIENT_LINE, flagged).build(), List.of(LOGGED), List.of()).line()).contains("response flags 'UF'");
        String otherStatus = edit(CLIENT_LINE, "418 - via_upstream", "200 - via_upstream");
        assertThat(ProxyAccessLog.judge(sidecar(otherStatus, SERVER_LINE).build(), List.of(LOGGED), List.of()).line()).contains("logged status 200, but the client received 418");
        String otherService = edit(WAYPOINT_LINE, "|httpbin.foo.svc.cluster.local", "|other.foo.svc.cluster.local");
        EvidenceBuilder wrongCluster = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID))).log("foo/waypoint-1", otherService);
        assertThat(ProxyAccessLog.judge(wrongCluster.build(), List.of(LOGGED), List.of()).line()).contains("upstream cluster 'inbound-vip|8000|http|other.foo");
    }

    @Test
    void aRefusalIsLoggedAs403WithTheRbacDetailsOnlyWhenRbacRefusedIt() {
        CallResult denied = httpError(403, "RBAC: access denied").stamped(Map.of("x-request-id", RID));
        String rbac = edit(edit(WAYPOINT_LINE, "418 - via_upstream", "403 - rbac_access_denied_matched_policy[ns[foo]-policy[deny-path]-rule[0]]"), "\"10.44.1.27:80\"", "\"-\"");
        EvidenceBuilder e = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(denied)).log("foo/waypoint-1", rbac);
        assertThat(ProxyAccessLog.judge(e.build(), List.of(LOGGED), List.of()).status()).isEqualTo(Verdict.Status.PASS);
        String notRbac = edit(edit(WAYPOINT_LINE, "418 - via_upstream", "403 - via_upstream"), "\"10.44.1.27:80\"", "\"-\"");
        EvidenceBuilder fromApp = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(denied)).log("foo/waypoint-1", notRbac);
        assertThat(ProxyAccessLog.judge(fromApp.build(), List.of(LOGGED), List.of()).line()).contains("a 403 logged with details 'via_upstream', not Envoy's RBAC denial");
    }

    @Test
    void aControlRequestThatWasLoggedFailsAndNoProxyLogIsInconclusive() {
        EvidenceBuilder e = sidecar(CLIENT_LINE, SERVER_LINE).probe(BEFORE.name(), CallRequest.to(URL), response(teapot(RID)));
        Verdict v = ProxyAccessLog.judge(e.build(), List.of(), List.of(BEFORE));
        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE).as("no logged step: nothing shows the log works");
        assertThat(ProxyAccessLog.judge(e.build(), List.of(LOGGED), List.of(BEFORE)).line()).contains("control 'before'");
        EvidenceBuilder noLogs = evidence().probe(LOGGED.name(), CallRequest.to(URL), response(teapot(RID))).log("istio-system/ztunnel-1", "x\n");
        assertThat(ProxyAccessLog.judge(noLogs.build(), List.of(LOGGED), List.of()).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }
}
