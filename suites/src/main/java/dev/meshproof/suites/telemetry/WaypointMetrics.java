package dev.meshproof.suites.telemetry;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.RequestMetrics;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;

/**
 * L7 request metrics: the requests a client sends between two scrapes of the L7 proxies are counted in
 * {@code istio_requests_total} by the waypoint ({@code reporter="waypoint"}, ambient) or the server's sidecar
 * ({@code reporter="destination"}), exactly, by response code, with both principals and
 * {@code connection_security_policy="mutual_tls"} (STRICT in the server's namespace). Istio's default Prometheus provider is on without any Telemetry. An
 * absent series is INCONCLUSIVE, never PASS. Judged by {@link RequestMetrics}.
 */
@Check(id = "telemetry-waypoint-metrics", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "The waypoint (ambient) or the server sidecar counts each request in istio_requests_total, with response code, both principals and mutual_tls.",
        fixtures = WaypointMetrics.PEER_AUTHENTICATION)
public class WaypointMetrics implements ConformanceCheck {
    public static final String PEER_AUTHENTICATION = "peer-authentication.yaml";
    static final int CALLS = 4;

    public static final Step ADMITTED_THROUGH_PROXY = Step.expect("requests admitted through the L7 proxy", ADMITTED);
    public static final Step MEASURED = Step.expect("requests admitted between the metric scrapes", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");
        if (ctx.dataPlane() == DataPlane.AMBIENT) {
            ctx.waypoint(server.namespace());
        }
        ctx.apply(PEER_AUTHENTICATION, server.namespace(), java.util.Map.of());
        ctx.establish(ADMITTED_THROUGH_PROXY, client, server.http());
        ctx.scrapeProxyMetrics("before");
        ctx.sample(MEASURED, client, CheckContext.Target.of(server.http()), CALLS);
        ctx.scrapeProxyMetrics("after");
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, ADMITTED_THROUGH_PROXY, MEASURED), RequestMetrics.judge(e, MEASURED, "client", "echo"));
    }
}
