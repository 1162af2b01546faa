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
 * Mutation of {@link HttpRouteHeader}: the same steps, but the route is deleted (after its status was recorded) before
 * the header steps. Judged by the real check's verdict it must FAIL: the Service spreads, so v1 answers the matching
 * header and v2 the others.
 */
@Check(id = "mutation-httproute-removed", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "(mutation) nothing: it must fail", fixtures = HttpRouteHeader.ROUTE)
public class HttpRouteRemoved implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deploy(ctx);

        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        CheckContext.Applied route = ctx.apply("../route-httproute-header/" + HttpRouteHeader.ROUTE, p.server().namespace(), Map.of());
        ctx.recordStatus(route);
        ctx.delete(route); // the mutation: gone before the header steps
        HeaderRouting.routed(ctx, p);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new HttpRouteHeader().verdict(e);
    }
}
