package dev.meshproof.suites.mutations;

import dev.meshproof.suites.authz.L7AllowByPathAndMethod;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.ALLOWED_AFTER;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.ALLOWED_BEFORE;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.MATCHING_ADMITTED;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.METHOD_OR_PATH_REFUSED;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.OTHER_AFTER;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.OTHER_BEFORE;
import static dev.meshproof.suites.authz.L7AllowByPathAndMethod.PRINCIPAL_REFUSED;

/**
 * Mutation of {@link L7AllowByPathAndMethod} for ambient: the same steps, but the waypoint is removed after the policy is
 * applied. With no waypoint, ztunnel sends traffic straight to the pod and nothing enforces the targetRefs policy
 * (istio/istio@1.29.6:pilot/pkg/serviceregistry/kube/controller/ambient/waypoints.go fetchWaypointForTarget; ztunnel ignores
 * targetRefs policies, authorization.go convertAuthorizationPolicy): the requests the policy refuses get 200. Judged by the
 * real check's verdict, it must FAIL.
 */
@Check(id = "mutation-waypoint-removed", level = Level.CORE, dataPlanes = DataPlane.AMBIENT,
        proves = "(mutation) nothing: it must fail", fixtures = "../l7-allow-by-path-and-method/" + L7AllowByPathAndMethod.WAYPOINT_POLICY)
public class WaypointRemoved implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Waypoint waypoint = ctx.waypoint(server.namespace());
        CheckContext.Namespace clients = ctx.namespace("clients");
        CheckContext.Client allowed = ctx.client(clients, "allowed");
        CheckContext.Client other = ctx.client(clients, "other");

        ctx.establish(ALLOWED_BEFORE, allowed, L7AllowByPathAndMethod.otherMethodOrPath(server));
        ctx.establish(OTHER_BEFORE, other, L7AllowByPathAndMethod.otherPrincipal(server));
        CheckContext.Applied policy = ctx.apply("../l7-allow-by-path-and-method/" + L7AllowByPathAndMethod.WAYPOINT_POLICY, server.namespace(),
                Map.of("PRINCIPAL", allowed.principal()));
        ctx.removeWaypoint(waypoint);
        ctx.establish(METHOD_OR_PATH_REFUSED, allowed, L7AllowByPathAndMethod.otherMethodOrPath(server));
        ctx.establish(PRINCIPAL_REFUSED, other, L7AllowByPathAndMethod.otherPrincipal(server));
        ctx.establish(MATCHING_ADMITTED, allowed, L7AllowByPathAndMethod.matching(server));
        ctx.delete(policy);
        ctx.establish(ALLOWED_AFTER, allowed, L7AllowByPathAndMethod.otherMethodOrPath(server));
        ctx.establish(OTHER_AFTER, other, L7AllowByPathAndMethod.otherPrincipal(server));
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new L7AllowByPathAndMethod().verdict(e);
    }
}
