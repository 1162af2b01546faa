package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallRequest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/** On the assembled waypoint sample: sleep (default) → httpbin (foo), 3 requests answered 200. */
class RequestMetricsTest {
    static final Step MEASURED = Step.expect("measured", CallExpectation.ADMITTED);
    static final String SAMPLE = upstream("istio-requests-total-assembled-waypoint.txt");
    static final String WAYPOINT = "foo/waypoint-1";

    static EvidenceBuilder threeCalls(String dataPlane) {
        return evidence().dataPlane(dataPlane).workload("sleep", "default", "sleep").workload("httpbin", "foo", "httpbin")
                .probe(MEASURED.name(), CallRequest.to("http://httpbin.foo.svc.cluster.local:8000/get"), response(
                        ok(echo("h", "foo", "httpbin")), ok(echo("h", "foo", "httpbin")), ok(echo("h", "foo", "httpbin"))));
    }

    static Verdict judge(EvidenceBuilder e) {
        return RequestMetrics.judge(e.build(), MEASURED, "sleep", "httpbin");
    }

    @Test
    void growthByExactlyTheRequestsWithMutualTlsPasses() {
        Verdict v = judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT, SAMPLE));
        assertThat(v.status()).as(v.line()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("{200=3}");
        Verdict fromBefore = judge(threeCalls("ambient").scrape("before", WAYPOINT, edit(SAMPLE, "} 3", "} 7")).scrape("after", WAYPOINT, edit(SAMPLE, "} 3", "} 10")));
        assertThat(fromBefore.status()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void wrongCountsCodesOrSecurityPolicyFail() {
        assertThat(judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT, edit(SAMPLE, "} 3", "} 2"))).line())
                .contains("grew by {200=2} (by response_code) but the client received {200=3}");
        assertThat(judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT, edit(SAMPLE, "response_code=\"200\"", "response_code=\"503\""))).line())
                .contains("{503=3}");
        assertThat(judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT,
                edit(SAMPLE, "connection_security_policy=\"mutual_tls\"", "connection_security_policy=\"none\""))).line()).contains("\"none\", not mutual_tls");
    }

    @Test
    void absentSeriesNeverPass() {
        assertThat(judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT, "")).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(judge(threeCalls("ambient")).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        // the sidecar data plane judges reporter="destination": the waypoint's series is not the server sidecar's
        assertThat(judge(threeCalls("sidecar").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT, SAMPLE)).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        Verdict sidecar = judge(threeCalls("sidecar").scrape("before", "foo/httpbin-1", "").scrape("after", "foo/httpbin-1",
                edit(SAMPLE, "reporter=\"waypoint\"", "reporter=\"destination\"")));
        assertThat(sidecar.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(judge(threeCalls("ambient").scrape("before", WAYPOINT, "").scrape("after", WAYPOINT,
                edit(SAMPLE, "source_principal=\"spiffe://cluster.local/ns/default/sa/sleep\"", "source_principal=\"spiffe://cluster.local/ns/default/sa/other\"")
                        .replace("source_workload=\"sleep\"", "source_workload=\"other\""))).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }
}
