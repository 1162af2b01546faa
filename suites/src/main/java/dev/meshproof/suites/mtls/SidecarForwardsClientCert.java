package dev.meshproof.suites.mtls;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.ClientCertHeader;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;

/**
 * mTLS in the sidecar data plane, as the server application sees it: under STRICT, every request arrives with
 * {@code X-Forwarded-Client-Cert} naming the client's SPIFFE URI (Istio's {@code check.MTLSForHTTP()}).
 */
@Check(id = "mtls-sidecar-forwards-client-cert", level = Level.CORE, dataPlanes = DataPlane.SIDECAR,
        proves = "Under STRICT, the server's sidecar hands every request to the application with X-Forwarded-Client-Cert naming the client's SPIFFE identity.",
        fixtures = SidecarForwardsClientCert.PEER_AUTHENTICATION)
public class SidecarForwardsClientCert implements ConformanceCheck {
    public static final String PEER_AUTHENTICATION = "peer-authentication.yaml";

    public static final Step ADMITTED_UNDER_STRICT = Step.expect("enrolled client admitted under STRICT", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");

        ctx.apply(PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "STRICT"));
        ctx.establish(ADMITTED_UNDER_STRICT, client, server.http());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, ADMITTED_UNDER_STRICT),
                ClientCertHeader.judge(e, ADMITTED_UNDER_STRICT, "client", "echo"));
    }
}
