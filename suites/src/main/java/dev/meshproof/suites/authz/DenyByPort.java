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

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.DENIED;

/**
 * L4 authorization by destination port: a DENY policy on the server's TCP port refuses connections to it, while
 * the same client's HTTP on the other port stays admitted. Controls: the TCP port is admitted before the policy
 * and after its deletion.
 */
@Check(id = "l4-deny-by-port", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "A DENY AuthorizationPolicy on a destination port refuses connections to that port, and only to it, while it exists.",
        fixtures = DenyByPort.POLICY)
public class DenyByPort implements ConformanceCheck {
    public static final String POLICY = "deny-port.yaml";

    public static final Step TCP_ADMITTED_BEFORE = Step.expect("TCP port 9000 admitted before the policy", ADMITTED);
    public static final Step TCP_REFUSED = Step.expect("TCP port 9000 refused under the policy", DENIED);
    public static final Step HTTP_ADMITTED = Step.expect("HTTP port 8080 admitted under the policy", ADMITTED);
    public static final Step TCP_ADMITTED_AFTER = Step.expect("TCP port 9000 admitted after the policy is deleted", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");

        ctx.establish(TCP_ADMITTED_BEFORE, client, server.tcp());
        CheckContext.Applied policy = ctx.apply(POLICY, server.namespace(), Map.of());
        ctx.establish(TCP_REFUSED, client, server.tcp());
        ctx.establish(HTTP_ADMITTED, client, server.http());
        ctx.delete(policy);
        ctx.establish(TCP_ADMITTED_AFTER, client, server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Steps.judge(e, TCP_ADMITTED_BEFORE, TCP_REFUSED, HTTP_ADMITTED, TCP_ADMITTED_AFTER);
    }
}
