package dev.meshproof.suites.authz;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.CheckContext.Target;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.RBAC_DENIED;

/**
 * L7 authorization by source principal and method through a Service's own waypoint: a DENY policy on one principal's
 * {@code POST}/{@code DELETE} — ambient: {@code targetRefs} to the Service {@code echo}, whose waypoint
 * ({@code istio.io/use-waypoint} on the Service) enforces it; sidecar: {@code selector} — refuses those requests with
 * Envoy's RBAC 403, while the same principal's {@code GET} and another principal's {@code POST} stay admitted.
 * Controls: the refused requests are admitted before the policy and again after it is deleted.
 */
@Check(id = "l7-deny-by-principal-and-method", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A DENY AuthorizationPolicy on a source principal and methods, enforced by the Service's waypoint (ambient, targetRefs Service) or the server's sidecar, refuses that principal's requests with those methods with Envoy's RBAC 403, and only those.",
        fixtures = {L7DenyByPrincipalAndMethod.WAYPOINT_POLICY, L7DenyByPrincipalAndMethod.SIDECAR_POLICY})
public class L7DenyByPrincipalAndMethod implements ConformanceCheck {
    public static final String WAYPOINT_POLICY = "deny-principal-method-waypoint.yaml";
    public static final String SIDECAR_POLICY = "deny-principal-method-sidecar.yaml";

    public static final PolicyControls STEPS = new PolicyControls(PolicyControls.admittedBefore("denied"),
            Step.expect("'denied' POST and DELETE refused under the policy", RBAC_DENIED), PolicyControls.admittedUnder("other"),
            PolicyControls.admittedAfter("denied"));
    public static final Step GET_ADMITTED = Step.expect("'denied' GET admitted under the policy", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        if (ctx.dataPlane() == DataPlane.AMBIENT) {
            ctx.waypointFor(server);
        }
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client denied = ctx.client(clients, "denied");
        CheckContext.Client other = ctx.client(clients, "other");
        Target post = Target.of(server.http()).method("POST");
        Target delete = Target.of(server.http()).method("DELETE");

        ctx.establish(STEPS.admittedBefore(), denied, post, delete);
        CheckContext.Applied policy = ctx.apply(ctx.dataPlane() == DataPlane.AMBIENT ? WAYPOINT_POLICY : SIDECAR_POLICY, server.namespace(),
                Map.of("PRINCIPAL", denied.principal()));
        ctx.establish(STEPS.refused(), denied, post, delete);
        ctx.establish(GET_ADMITTED, denied, Target.of(server.http()).method("GET"));
        ctx.establish(STEPS.otherAdmitted(), other, post);
        ctx.delete(policy);
        ctx.establish(STEPS.admittedAfter(), denied, post, delete);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, STEPS.all()), GET_ADMITTED.judge(e));
    }
}
