package dev.meshproof.suites.routing;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * Header routing with Istio's classic API: a VirtualService on host {@code echo} sends {@code x-meshproof-version: v2}
 * to the DestinationRule subset {@code v2} and everything else to subset {@code v1} (steps and controls in
 * {@link HeaderRouting}). In ambient the namespace waypoint applies it — the classic APIs "remain at Alpha in the
 * ambient data plane mode" and mixing them with Gateway API "will lead to undefined behavior" (istio.io
 * {@code ambient/usage/l7-features}), so this check uses VirtualService and DestinationRule only. Extended: Gateway API
 * is the mesh's standard routing API.
 */
@Check(id = "route-virtualservice-header", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A VirtualService header match sends the matching requests to the DestinationRule subset v2, and every other request "
                + "(no header, another value) to v1, while it exists.",
        fixtures = {VirtualServiceHeader.DESTINATION_RULE, VirtualServiceHeader.VIRTUAL_SERVICE})
public class VirtualServiceHeader implements ConformanceCheck {
    public static final String DESTINATION_RULE = "destination-rule.yaml";
    public static final String VIRTUAL_SERVICE = "virtual-service.yaml";

    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deploy(ctx);
        CheckContext.Namespace ns = p.server().namespace();

        ctx.apply(DESTINATION_RULE, ns, Map.of()); // subsets alone route nothing: the spread control holds under them
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        CheckContext.Applied route = ctx.apply(VIRTUAL_SERVICE, ns, Map.of());
        HeaderRouting.routed(ctx, p);
        ctx.delete(route);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, HeaderRouting.all());
    }
}
