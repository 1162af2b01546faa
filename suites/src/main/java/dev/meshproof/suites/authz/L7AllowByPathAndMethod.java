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
 * L7 authorization by path, method and source principal: an ALLOW policy admitting only one principal's {@code GET /echo/allowed*}
 * — ambient: bound with {@code targetRefs} to the namespace waypoint, which enforces it; sidecar: {@code selector}, enforced
 * by the server's sidecar. Under it, that request is answered by the echo server and everything else is refused by Envoy's
 * RBAC filter (403 {@code RBAC: access denied}, never the application's 403): another method, another path, another
 * principal. Controls: each refused request is admitted before the policy and again after it is deleted.
 */
@Check(id = "l7-allow-by-path-and-method", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "An ALLOW AuthorizationPolicy on paths, methods and a source principal, enforced by the waypoint (ambient, targetRefs Gateway) or the server's sidecar, admits exactly the matching requests and refuses the others with Envoy's RBAC 403.",
        fixtures = {L7AllowByPathAndMethod.WAYPOINT_POLICY, L7AllowByPathAndMethod.SIDECAR_POLICY})
public class L7AllowByPathAndMethod implements ConformanceCheck {
    public static final String WAYPOINT_POLICY = "allow-path-method-waypoint.yaml";
    public static final String SIDECAR_POLICY = "allow-path-method-sidecar.yaml";

    public static final Step ALLOWED_BEFORE = PolicyControls.admittedBefore("allowed");
    public static final Step OTHER_BEFORE = PolicyControls.admittedBefore("other");
    public static final Step MATCHING_ADMITTED = Step.expect("'allowed' GET /echo/allowed* admitted under the policy", ADMITTED);
    public static final Step METHOD_OR_PATH_REFUSED = Step.expect("'allowed' refused under the policy for another method or path", RBAC_DENIED);
    public static final Step PRINCIPAL_REFUSED = Step.expect("'other' refused under the policy", RBAC_DENIED);
    public static final Step ALLOWED_AFTER = PolicyControls.admittedAfter("allowed");
    public static final Step OTHER_AFTER = PolicyControls.admittedAfter("other");

    /** The requests the policy admits for 'allowed'. */
    public static Target[] matching(CheckContext.Server server) {
        return new Target[]{Target.of(server.http("/echo/allowed")).method("GET"), Target.of(server.http("/echo/allowed/one")).method("GET")};
    }

    /** 'allowed''s requests the policy refuses: the right path with another method, another path with the right method. */
    public static Target[] otherMethodOrPath(CheckContext.Server server) {
        return new Target[]{Target.of(server.http("/echo/allowed/one")).method("POST"), Target.of(server.http("/echo/private")).method("GET")};
    }

    /** 'other''s request the policy refuses: the matching request, from another principal. */
    public static Target otherPrincipal(CheckContext.Server server) {
        return Target.of(server.http("/echo/allowed/one")).method("GET");
    }

    /** The policy fixture for the data plane: targetRefs to the waypoint (ambient) or selector (sidecar). */
    public static String policy(CheckContext ctx) {
        return ctx.dataPlane() == DataPlane.AMBIENT ? WAYPOINT_POLICY : SIDECAR_POLICY;
    }

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        if (ctx.dataPlane() == DataPlane.AMBIENT) {
            ctx.waypoint(server.namespace());
        }
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client allowed = ctx.client(clients, "allowed");
        CheckContext.Client other = ctx.client(clients, "other");

        ctx.establish(ALLOWED_BEFORE, allowed, otherMethodOrPath(server));
        ctx.establish(OTHER_BEFORE, other, otherPrincipal(server));
        CheckContext.Applied policy = ctx.apply(policy(ctx), server.namespace(), Map.of("PRINCIPAL", allowed.principal()));
        ctx.establish(METHOD_OR_PATH_REFUSED, allowed, otherMethodOrPath(server));
        ctx.establish(PRINCIPAL_REFUSED, other, otherPrincipal(server));
        ctx.establish(MATCHING_ADMITTED, allowed, matching(server));
        ctx.delete(policy);
        ctx.establish(ALLOWED_AFTER, allowed, otherMethodOrPath(server));
        ctx.establish(OTHER_AFTER, other, otherPrincipal(server));
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, ALLOWED_BEFORE, OTHER_BEFORE, METHOD_OR_PATH_REFUSED, PRINCIPAL_REFUSED, MATCHING_ADMITTED, ALLOWED_AFTER, OTHER_AFTER);
    }
}
