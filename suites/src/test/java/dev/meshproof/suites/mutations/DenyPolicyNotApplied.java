package dev.meshproof.suites.mutations;

import dev.meshproof.suites.authz.DenyByPrincipal;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Verdict;

/**
 * Mutation of {@link DenyByPrincipal} for the live tier: the same steps, but the policy is never applied. Judged by
 * the real check's verdict, it must FAIL.
 */
@Check(id = "mutation-deny-policy-not-applied", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "(mutation) nothing: it must fail")
public class DenyPolicyNotApplied implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client denied = ctx.client(clients, "denied");
        CheckContext.Client other = ctx.client(clients, "other");

        ctx.establish(DenyByPrincipal.STEPS.admittedBefore(), denied, server.http(), server.tcp());
        ctx.establish(DenyByPrincipal.STEPS.refused(), denied, server.http(), server.tcp());
        ctx.establish(DenyByPrincipal.STEPS.otherAdmitted(), other, server.http(), server.tcp());
        ctx.establish(DenyByPrincipal.STEPS.admittedAfter(), denied, server.http(), server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new DenyByPrincipal().verdict(e);
    }
}
