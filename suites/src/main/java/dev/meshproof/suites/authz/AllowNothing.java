package dev.meshproof.suites.authz;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * allow-nothing ({@code spec: {}}): every connection to the namespace's workloads is refused while the policy
 * exists. Controls: the client is admitted before the policy and again after its deletion.
 */
@Check(id = "l4-allow-nothing", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "An AuthorizationPolicy with an empty spec (allow-nothing) refuses every connection to the namespace's workloads while it exists.",
        fixtures = AllowNothing.POLICY)
public class AllowNothing implements ConformanceCheck {
    public static final String POLICY = "allow-nothing.yaml";

    public static final Step ADMITTED_BEFORE = PolicyControls.admittedBefore("client");
    public static final Step REFUSED = PolicyControls.refusedUnder("client");
    public static final Step ADMITTED_AFTER = PolicyControls.admittedAfter("client");

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");

        ctx.establish(ADMITTED_BEFORE, client, server.http(), server.tcp());
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of());
        ctx.establish(REFUSED, client, server.http(), server.tcp());
        ctx.delete(policy);
        ctx.establish(ADMITTED_AFTER, client, server.http(), server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, ADMITTED_BEFORE, REFUSED, ADMITTED_AFTER);
    }
}
