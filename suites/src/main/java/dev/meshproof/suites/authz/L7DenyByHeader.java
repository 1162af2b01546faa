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
 * L7 authorization by request header: a DENY policy on {@code request.headers[x-meshproof-deny]} = {@code yes} — ambient:
 * {@code targetRefs} to the namespace waypoint; sidecar: {@code selector} — refuses requests carrying it with Envoy's RBAC
 * 403 and admits the same client's requests without it or with another value. Controls: the request with the header is
 * admitted before the policy and again after it is deleted.
 */
@Check(id = "l7-deny-by-header", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A DENY AuthorizationPolicy on a request header value, enforced by the waypoint (ambient, targetRefs Gateway) or the server's sidecar, refuses requests carrying that value with Envoy's RBAC 403, and only those.",
        fixtures = {L7DenyByHeader.WAYPOINT_POLICY, L7DenyByHeader.SIDECAR_POLICY})
public class L7DenyByHeader implements ConformanceCheck {
    public static final String WAYPOINT_POLICY = "deny-header-waypoint.yaml";
    public static final String SIDECAR_POLICY = "deny-header-sidecar.yaml";
    public static final String HEADER = "x-meshproof-deny";

    public static final Step WITH_HEADER_BEFORE = Step.expect("request with " + HEADER + ": yes admitted before the policy", ADMITTED);
    public static final Step WITH_HEADER_REFUSED = Step.expect("request with " + HEADER + ": yes refused under the policy", RBAC_DENIED);
    public static final Step WITHOUT_HEADER_ADMITTED = Step.expect("requests without " + HEADER + ": yes admitted under the policy", ADMITTED);
    public static final Step WITH_HEADER_AFTER = Step.expect("request with " + HEADER + ": yes admitted after the policy is deleted", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        if (ctx.dataPlane() == DataPlane.AMBIENT) {
            ctx.waypoint(server.namespace());
        }
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");
        Target denied = Target.of(server.http()).header(HEADER, "yes");

        ctx.establish(WITH_HEADER_BEFORE, client, denied);
        CheckContext.Applied policy = ctx.apply(ctx.dataPlane() == DataPlane.AMBIENT ? WAYPOINT_POLICY : SIDECAR_POLICY, server.namespace(), Map.of());
        ctx.establish(WITH_HEADER_REFUSED, client, denied);
        ctx.establish(WITHOUT_HEADER_ADMITTED, client, Target.of(server.http()), Target.of(server.http()).header(HEADER, "no"));
        ctx.delete(policy);
        ctx.establish(WITH_HEADER_AFTER, client, denied);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, WITH_HEADER_BEFORE, WITH_HEADER_REFUSED, WITHOUT_HEADER_ADMITTED, WITH_HEADER_AFTER);
    }
}
