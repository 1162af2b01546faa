package dev.meshproof.suites.mtls;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.MutualTlsMetrics;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;
import dev.meshproof.verdict.ZtunnelAccessLog;

import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;

/**
 * mTLS in ambient, in ztunnel's own words: with STRICT in effect, an enrolled client's fresh connections to the
 * server appear between two metric scrapes as new {@code istio_tcp_connections_opened_total} series at the
 * destination with {@code connection_security_policy="mutual_tls"} and both SPIFFE principals, and in the server's
 * ztunnel access log with both identities. Absent series or records are not mTLS: the check is then INCONCLUSIVE.
 */
@Check(id = "mtls-ztunnel-reports-mutual-tls", level = Level.CORE, dataPlanes = DataPlane.AMBIENT,
        proves = "ztunnel reports an enrolled client's connections to the server as mutual TLS with both SPIFFE identities, in its metrics and its access log.",
        fixtures = ZtunnelReportsMutualTls.PEER_AUTHENTICATION)
public class ZtunnelReportsMutualTls implements ConformanceCheck {
    public static final String PEER_AUTHENTICATION = "peer-authentication.yaml";

    public static final Step ADMITTED_UNDER_STRICT = Step.expect("enrolled client admitted under STRICT", ADMITTED);
    public static final Step MEASURED = Step.expect("calls between the metric scrapes admitted", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");

        ctx.apply(PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "STRICT"));
        ctx.establish(ADMITTED_UNDER_STRICT, client, server.http(), server.tcp());
        ctx.scrapeProxyMetrics("before");
        ctx.observe(MEASURED, client, server.http(), server.tcp());
        ctx.scrapeProxyMetrics("after");
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(
                Steps.judge(e, ADMITTED_UNDER_STRICT, MEASURED),
                MutualTlsMetrics.judge(e, "client", "echo"),
                ZtunnelAccessLog.mutualTls(e, "client", "echo"));
    }
}
