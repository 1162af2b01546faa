package dev.meshproof.suites.mutations;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.suites.routing.HeaderRouting;
import dev.meshproof.suites.routing.VirtualServiceHeader;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * Mutation of {@link VirtualServiceHeader}: the same steps, but the VirtualService is deleted before the header steps
 * (the DestinationRule stays). Judged by the real check's verdict it must FAIL.
 */
@Check(id = "mutation-virtualservice-removed", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "(mutation) nothing: it must fail", fixtures = {VirtualServiceHeader.DESTINATION_RULE, VirtualServiceHeader.VIRTUAL_SERVICE})
public class VirtualServiceRemoved implements ConformanceCheck {
    private static final String FIXTURES = "../route-virtualservice-header/";

    @CheckBody
    void run(CheckContext ctx) {
        HeaderRouting.Parties p = HeaderRouting.deploy(ctx);

        ctx.apply(FIXTURES + VirtualServiceHeader.DESTINATION_RULE, p.server().namespace(), Map.of());
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_BEFORE, p);
        ctx.delete(ctx.apply(FIXTURES + VirtualServiceHeader.VIRTUAL_SERVICE, p.server().namespace(), Map.of())); // the mutation
        HeaderRouting.routed(ctx, p);
        HeaderRouting.spread(ctx, HeaderRouting.SPREAD_AFTER, p);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new VirtualServiceHeader().verdict(e);
    }
}
