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
import dev.meshproof.verdict.ZtunnelPolicyStatus;

import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.REFUSED_AT_L4;

/**
 * What ambient does with an L7 rule nothing can enforce: an ALLOW policy with a {@code selector} (no waypoint) whose rule
 * names methods and paths. ztunnel cannot read HTTP, so istiod drops every rule with HTTP attributes from an ALLOW policy
 * ("L7 policies never match for ALLOW", istio/istio@1.29.6:pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go
 * {@code handleRule}); the policy reaches ztunnel with no rule, and "allow policies exist, but none allowed"
 * (istio/ztunnel@1.29.6:src/rbac.rs) refuses every connection to the server — fail closed, at L4 (reset or closed, never an
 * HTTP status), including the very request the policy meant to allow. Istio's own test expects exactly this
 * ({@code tests/integration/ambient/baseline_test.go} {@code TestAuthorizationL7}: "Only waypoint proxy can handle L7
 * policies" → {@code CheckDeny}); so do the docs (ambient/usage/l4-policy: "ztunnel proxy will simply drop all traffic as a
 * defensive move").
 *
 * <p>istiod also says so in the policy's status: condition {@code ZtunnelAccepted}, reason {@code UnsupportedValue}, "ztunnel
 * does not support HTTP attributes (found: methods, paths)… Within an ALLOW policy, rules matching HTTP attributes are
 * omitted…". The check requires that status: istiod writes it when {@code AMBIENT_ENABLE_STATUS} is on, its default whenever
 * {@code PILOT_ENABLE_AMBIENT=true} (pilot/pkg/features/ambient.go), which the {@code ambient} profile Meshproof installs
 * sets; a mesh with the status writer turned off gets INCONCLUSIVE, never PASS.
 *
 * <p>Not asserted: a DENY policy whose rules are L7-only is a no-op at ztunnel in Istio 1.29 (the L7-only clause becomes an
 * empty match that never matches, traffic passes), although its status claims it is "enforced without the HTTP rules" — a
 * known bug (istio/istio#61126), not behaviour to certify.
 */
@Check(id = "l7-rule-without-waypoint-fails-closed", level = Level.CORE, dataPlanes = DataPlane.AMBIENT,
        proves = "Without a waypoint, an ALLOW AuthorizationPolicy whose rules need HTTP attributes fails closed: ztunnel refuses every connection to the selected workload at L4, the request it meant to allow too, and istiod's status says the HTTP rules were omitted.",
        fixtures = L7RuleWithoutWaypointFailsClosed.POLICY)
public class L7RuleWithoutWaypointFailsClosed implements ConformanceCheck {
    public static final String POLICY = "allow-l7-selector.yaml";
    public static final String POLICY_NAME = "allow-l7-without-waypoint";
    /** The HTTP attributes of the fixture's rule, as istiod lists them (sorted). */
    public static final List<String> HTTP_ATTRIBUTES = List.of("methods", "paths");

    public static final Step ADMITTED_BEFORE = PolicyControls.admittedBefore("client");
    public static final Step REFUSED_AT_L4_UNDER = Step.expect("'client' refused at L4 under the policy, the request it allows too", REFUSED_AT_L4);
    public static final Step ADMITTED_AFTER = PolicyControls.admittedAfter("client");

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");
        // the request the rule allows, one it does not, and plain TCP
        Target[] targets = {Target.of(server.http("/echo/allowed")).method("GET"), Target.of(server.http("/echo/allowed")).method("POST"),
                Target.of(server.tcp())};

        ctx.establish(ADMITTED_BEFORE, client, targets);
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of("PRINCIPAL", client.principal()));
        ctx.establish(REFUSED_AT_L4_UNDER, client, targets);
        ctx.recordStatus(policy);
        ctx.delete(policy);
        ctx.establish(ADMITTED_AFTER, client, targets);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, ADMITTED_BEFORE, REFUSED_AT_L4_UNDER, ADMITTED_AFTER),
                ZtunnelPolicyStatus.httpRulesOmitted(e.status("AuthorizationPolicy", POLICY_NAME), POLICY_NAME, HTTP_ATTRIBUTES));
    }
}
