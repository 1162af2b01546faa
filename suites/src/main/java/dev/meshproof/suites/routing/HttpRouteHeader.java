package dev.meshproof.suites.routing;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.RouteStatus;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * Header routing with Gateway API (GAMMA): an HTTPRoute whose parentRef is the Service {@code echo} sends
 * {@code x-meshproof-version: v2} to the Service {@code echo-v2} and everything else to {@code echo-v1} (steps and
 * controls in {@link HeaderRouting}). Istio's status on the route is evidence too ({@link RouteStatus}): it must be
 * Accepted with its references resolved, and in ambient say that the waypoint resolved — a route accepted without a
 * waypoint is not applied, and Istio says so only in that message.
 */
@Check(id = "route-httproute-header", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "An HTTPRoute attached to a Service (GAMMA) sends requests matching its header to the v2 backend and every other request "
                + "(no header, another value) to v1, and Istio reports it Accepted with its references (and, in ambient, its waypoint) resolved.",
        fixtures = HttpRouteHeader.ROUTE)
public class HttpRouteHeader implements ConformanceCheck {
    public static final String ROUTE = "http-route.yaml";
    /** The route's name in the fixture. */
    public static final String ROUTE_NAME = "echo-header";
    public static final RouteStatus STATUS = RouteStatus.httpRouteOnService(ROUTE_NAME, "echo");

    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deploy(ctx);

        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        CheckContext.Applied route = ctx.apply(ROUTE, p.server().namespace(), Map.of());
        HeaderRouting.routed(ctx, p);
        ctx.recordStatus(route);
        ctx.delete(route);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, HeaderRouting.all()), STATUS.judge(e));
    }
}
