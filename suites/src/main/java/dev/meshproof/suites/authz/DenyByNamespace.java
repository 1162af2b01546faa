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
 * L4 authorization by source namespace: a DENY policy naming one namespace refuses its clients, while a client of
 * another namespace stays admitted. Controls: before the policy and after its deletion the refused client is admitted.
 */
@Check(id = "l4-deny-by-namespace", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A DENY AuthorizationPolicy naming a source namespace refuses that namespace's clients, and only those, while it exists.",
        fixtures = DenyByNamespace.POLICY)
public class DenyByNamespace implements ConformanceCheck {
    public static final String POLICY = "deny-namespace.yaml";

    public static final PolicyControls STEPS = PolicyControls.refusing("denied", "other");

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client denied = ctx.client(ctx.namespace("denied-ns"), "denied");
        CheckContext.Client other = ctx.client(ctx.namespace("other-ns"), "other");

        ctx.establish(STEPS.admittedBefore(), denied, server.http(), server.tcp());
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of("SOURCE_NAMESPACE", denied.namespace().name()));
        ctx.establish(STEPS.refused(), denied, server.http(), server.tcp());
        ctx.establish(STEPS.otherAdmitted(), other, server.http(), server.tcp());
        ctx.delete(policy);
        ctx.establish(STEPS.admittedAfter(), denied, server.http(), server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, STEPS.all());
    }
}
