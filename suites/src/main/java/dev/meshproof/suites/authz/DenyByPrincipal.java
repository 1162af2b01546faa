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
 * L4 authorization by identity: a DENY policy naming one client's principal refuses that client's HTTP and TCP
 * connections and only those. Controls: the refused client was admitted before the policy and is admitted again
 * after it is deleted; another client of the same namespace stays admitted under it.
 */
@Check(id = "l4-deny-by-principal", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A DENY AuthorizationPolicy naming a principal refuses that principal's connections, and only those, while it exists.",
        fixtures = DenyByPrincipal.POLICY)
public class DenyByPrincipal implements ConformanceCheck {
    public static final String POLICY = "deny-principal.yaml";

    public static final PolicyControls STEPS = PolicyControls.refusing("denied", "other");

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client denied = ctx.client(clients, "denied");
        CheckContext.Client other = ctx.client(clients, "other");

        ctx.establish(STEPS.admittedBefore(), denied, server.http(), server.tcp());
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of("PRINCIPAL", denied.principal()));
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
