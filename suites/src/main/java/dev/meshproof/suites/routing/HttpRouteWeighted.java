package dev.meshproof.suites.routing;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.CallExpectation;
import dev.meshproof.verdict.RouteStatus;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;
import dev.meshproof.verdict.WeightedSplit;

import java.util.Map;

/**
 * A weighted split with Gateway API (GAMMA): an HTTPRoute on the Service {@code echo} with backendRefs {@code echo-v1}
 * weight 80 and {@code echo-v2} weight 20, judged statistically ({@link WeightedSplit}: {@value #SAMPLE} calls, the
 * 99.9 % Clopper–Pearson interval of v2's share must contain 20 % and exclude the 50 % spread there is without the
 * route). The sample is sent only once the route is known to be in effect: the same HTTPRoute has a header rule to
 * {@code echo-v2}, and its rules reach the proxy as one route configuration, so once that rule answers v2 the weighted
 * rule is programmed too. Controls as in {@link HeaderRouting}; the route's status as in {@link HttpRouteHeader}.
 */
@Check(id = "route-httproute-weighted", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "An HTTPRoute attached to a Service (GAMMA) with backendRefs weighted 80/20 splits requests 80/20: the 99.9% interval of "
                + "the observed share contains 20% and excludes the 50/50 spread there is without it.",
        fixtures = HttpRouteWeighted.ROUTE)
public class HttpRouteWeighted implements ConformanceCheck {
    public static final String ROUTE = "http-route.yaml";
    public static final String ROUTE_NAME = "echo-weighted";
    /** Calls in the sample: at least {@code SPLIT.minimumCalls()} (346). */
    public static final int SAMPLE = 400;
    /** v2 at 20 %, 50 % without the route; the sample must be large enough to catch a split 15 points off (65/35). */
    public static final WeightedSplit SPLIT = new WeightedSplit(HeaderRouting.ROUTED, 0.2, 0.5, 0.15);
    public static final RouteStatus STATUS = RouteStatus.httpRouteOnService(ROUTE_NAME, "echo");
    public static final Step SPLIT_SAMPLE = Step.expect(SAMPLE + " calls without the header split 80/20 between v1 and v2", CallExpectation.ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deploy(ctx);

        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        CheckContext.Applied route = ctx.apply(ROUTE, p.server().namespace(), Map.of());
        ctx.establish(HeaderRouting.MATCHING, p.client(), p.matching()); // the same route's header rule: it is in effect
        ctx.sample(SPLIT_SAMPLE, p.client(), p.plain(), SAMPLE);
        ctx.recordStatus(route);
        ctx.delete(route);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, HeaderRouting.SPREAD_BEFORE, HeaderRouting.MATCHING, HeaderRouting.SPREAD_AFTER),
                SPLIT.judge(e, SPLIT_SAMPLE), STATUS.judge(e));
    }
}
