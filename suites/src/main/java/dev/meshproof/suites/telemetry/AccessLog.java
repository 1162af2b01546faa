package dev.meshproof.suites.telemetry;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.EnvoyAccessLog;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.ProxyAccessLog;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.RBAC_DENIED;

/**
 * Access logs: with a {@code Telemetry} turning on the built-in {@code envoy} access log on the waypoint (ambient,
 * targetRefs) or the sidecars (namespace-wide), every request is logged by the L7 proxies and found there by its stamped
 * {@code x-request-id} with the status the client received, response flags {@code -} and its upstream; a request refused
 * by a DENY AuthorizationPolicy is logged as a 403 with Envoy's {@code rbac_access_denied…} details. Control: requests
 * sent before the Telemetry exists are not logged (Istio's default mesh config sets no {@code accessLogFile}; the
 * installer sets none either, checked on the rendered chart). Judged by {@link ProxyAccessLog}.
 */
@Check(id = "telemetry-access-log", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "With a Telemetry access log on the waypoint or sidecars, each request is logged once per L7 proxy, found by its x-request-id, with its status, "
                + "flags '-' and upstream, a refused one as 403 with RBAC details; nothing is logged before the Telemetry.",
        fixtures = {AccessLog.LOG_WAYPOINT, AccessLog.LOG_NAMESPACE, AccessLog.DENY_WAYPOINT, AccessLog.DENY_SIDECAR})
public class AccessLog implements ConformanceCheck {
    public static final String LOG_WAYPOINT = "access-log-waypoint.yaml";
    public static final String LOG_NAMESPACE = "access-log-namespace.yaml";
    public static final String DENY_WAYPOINT = "deny-path-waypoint.yaml";
    public static final String DENY_SIDECAR = "deny-path-sidecar.yaml";
    static final int CALLS = 3;

    public static final Step BEFORE_TELEMETRY = Step.expect("requests admitted before the Telemetry exists (not logged)", ADMITTED);
    public static final Step CONVERGE = Step.expect("requests admitted until the access log shows one", ADMITTED);
    public static final Step REFUSED = Step.expect("requests for /echo/denied refused by RBAC (logged as 403)", RBAC_DENIED);
    public static final Step LOGGED = Step.expect("requests admitted (logged)", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        boolean ambient = ctx.dataPlane() == DataPlane.AMBIENT;
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");
        if (ambient) {
            ctx.waypoint(server.namespace());
        }
        CheckContext.Target target = CheckContext.Target.of(server.http());
        ctx.sample(BEFORE_TELEMETRY, client, target, CALLS);
        if (ambient) {
            ctx.apply(LOG_WAYPOINT, server.namespace(), Map.of());
        } else {
            ctx.apply(LOG_NAMESPACE, client.namespace(), Map.of());
            ctx.apply(LOG_NAMESPACE, server.namespace(), Map.of());
        }
        List<String> converging = new ArrayList<>();
        try {
            Awaitility.await("the access log shows a request").atMost(ctx.timeouts().converge()).pollDelay(Duration.ZERO)
                    .pollInterval(ctx.timeouts().poll()).pollInSameThread().until(() -> {
                        converging.addAll(requestIds(ctx.sample(CONVERGE, client, target, 1)));
                        List<EnvoyAccessLog.Entry> entries = EnvoyAccessLog.parse(ctx.readProxyLogs());
                        return entries.stream().anyMatch(x -> converging.contains(x.requestId()));
                    });
        } catch (ConditionTimeoutException e) {
            dev.meshproof.core.Progress.info("[" + ctx.checkId() + " " + ctx.dataPlane().id() + "] no request in the access log after "
                    + ctx.timeouts().converge().toSeconds() + " s; the verdict judges the log captured at the end");
        }
        ctx.apply(ambient ? DENY_WAYPOINT : DENY_SIDECAR, server.namespace(), Map.of());
        ctx.establish(REFUSED, client, CheckContext.Target.of(server.http("/echo/denied")));
        ctx.sample(LOGGED, client, target, CALLS);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, BEFORE_TELEMETRY, CONVERGE, REFUSED, LOGGED),
                ProxyAccessLog.judge(e, List.of(REFUSED, LOGGED), List.of(BEFORE_TELEMETRY)));
    }

    private static List<String> requestIds(CallResponse r) {
        return r.results().stream().map(CallResult::sent).filter(Objects::nonNull).map(s -> s.get("x-request-id")).filter(Objects::nonNull).toList();
    }
}
