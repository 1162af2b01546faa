package dev.meshproof.suites.authz;

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
 * L4 authorization by allow-list: an ALLOW policy listing one principal admits it and refuses every other client
 * (ztunnel: "allow policies exist, but none allowed"). Controls: the refused client was admitted before the
 * policy and is admitted again after it is deleted.
 */
@Check(id = "l4-allow-by-principal", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "An ALLOW AuthorizationPolicy listing a principal admits that principal and refuses every other client while it exists.",
        fixtures = AllowByPrincipal.POLICY)
public class AllowByPrincipal implements ConformanceCheck {
    public static final String POLICY = "allow-principal.yaml";

    public static final PolicyControls STEPS = PolicyControls.refusing("other", "allowed");

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client allowed = ctx.client(clients, "allowed");
        CheckContext.Client other = ctx.client(clients, "other");

        ctx.establish(STEPS.admittedBefore(), other, server.http(), server.tcp());
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of("PRINCIPAL", allowed.principal()));
        ctx.establish(STEPS.refused(), other, server.http(), server.tcp());
        ctx.establish(STEPS.otherAdmitted(), allowed, server.http(), server.tcp());
        ctx.delete(policy);
        ctx.establish(STEPS.admittedAfter(), other, server.http(), server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, STEPS.all());
    }
}
