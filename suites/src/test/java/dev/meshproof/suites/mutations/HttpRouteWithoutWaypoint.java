package dev.meshproof.suites.mutations;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.suites.routing.HeaderRouting;
import dev.meshproof.suites.routing.HttpRouteHeader;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * Mutation of {@link HttpRouteHeader} in ambient: the same steps, but no waypoint is ever created. Istio accepts the
 * route and does not apply it — ztunnel routes nothing — and says so only in {@code ResolvedWaypoints}' message
 * ({@code istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be
 * respected}, istio/istio@1.29.6:pilot/pkg/config/kube/gateway/conversion.go). Judged by the real check's verdict it
 * must FAIL, on the traffic and on the status.
 */
@Check(id = "mutation-httproute-without-waypoint", level = Level.CORE, dataPlanes = DataPlane.AMBIENT,
        proves = "(mutation) nothing: it must fail", fixtures = HttpRouteHeader.ROUTE)
public class HttpRouteWithoutWaypoint implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deployWithoutWaypoint(ctx); // the mutation

        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        CheckContext.Applied route = ctx.apply("../route-httproute-header/" + HttpRouteHeader.ROUTE, p.server().namespace(), Map.of());
        HeaderRouting.routed(ctx, p);
        ctx.recordStatus(route);
        ctx.delete(route);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new HttpRouteHeader().verdict(e);
    }
}
