package dev.meshproof.suites.mtls;

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
import dev.meshproof.verdict.ZtunnelAccessLog;

import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;
import static dev.meshproof.verdict.CallExpectation.DENIED;

/**
 * The negative control of mTLS: a plaintext client (its namespace is outside the mesh) reaches the server under
 * PERMISSIVE and is refused once STRICT applies, while an enrolled client is still admitted. Istio's
 * {@code TestPeerAuthentication} expects the same ({@code CheckDeny} for the uncaptured client,
 * istio/istio@1.29.6:tests/integration/ambient/baseline_test.go). Mutation: PERMISSIVE instead of STRICT keeps the
 * plaintext client admitted, and the check FAILs.
 */
@Check(id = "mtls-strict-refuses-plaintext", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "Under STRICT PeerAuthentication a plaintext client from outside the mesh is refused (and admitted under PERMISSIVE), while an enrolled client is admitted.",
        fixtures = StrictMtlsRefusesPlaintext.PEER_AUTHENTICATION)
public class StrictMtlsRefusesPlaintext implements ConformanceCheck {
    public static final String PEER_AUTHENTICATION = "peer-authentication.yaml";

    public static final Step PLAINTEXT_ADMITTED_UNDER_PERMISSIVE = Step.expect("plaintext client admitted under PERMISSIVE", ADMITTED);
    public static final Step PLAINTEXT_REFUSED_UNDER_STRICT = Step.expect("plaintext client refused under STRICT", DENIED);
    public static final Step ENROLLED_ADMITTED_UNDER_STRICT = Step.expect("enrolled client admitted under STRICT", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client plaintext = ctx.client(ctx.outsideMesh("outside"), "plaintext");
        CheckContext.Client enrolled = ctx.client(ctx.namespace("client"), "enrolled");

        ctx.apply(PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "PERMISSIVE"));
        ctx.establish(PLAINTEXT_ADMITTED_UNDER_PERMISSIVE, plaintext, server.http(), server.tcp());
        ctx.apply(PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "STRICT"));
        ctx.establish(PLAINTEXT_REFUSED_UNDER_STRICT, plaintext, server.http(), server.tcp());
        ctx.establish(ENROLLED_ADMITTED_UNDER_STRICT, enrolled, server.http(), server.tcp());
    }

    /** The three steps; in ambient also ztunnel's own word that it closed the plaintext client's connections by policy. */
    @Override
    public Verdict verdict(Evidence e) {
        Verdict steps = Steps.judge(e, PLAINTEXT_ADMITTED_UNDER_PERMISSIVE, PLAINTEXT_REFUSED_UNDER_STRICT, ENROLLED_ADMITTED_UNDER_STRICT);
        if (!DataPlane.AMBIENT.id().equals(e.facts().dataPlane())) {
            return steps;
        }
        return Verdict.all(steps, ZtunnelAccessLog.rejected(e, "plaintext"));
    }
}
