package dev.meshproof.suites.mutations;

import dev.meshproof.suites.mtls.StrictMtlsRefusesPlaintext;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Verdict;

import java.util.Map;

/**
 * Mutation of {@link StrictMtlsRefusesPlaintext} for the live tier: the same steps, but PERMISSIVE where STRICT
 * belongs. Judged by the real check's verdict, it must FAIL (the plaintext client is never refused).
 */
@Check(id = "mutation-strict-replaced-by-permissive", level = Level.CORE, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "(mutation) nothing: it must fail", fixtures = StrictMtlsRefusesPlaintext.PEER_AUTHENTICATION)
public class StrictReplacedByPermissive implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client plaintext = ctx.client(ctx.outsideMesh("outside"), "plaintext");
        CheckContext.Client enrolled = ctx.client(ctx.namespace("client"), "enrolled");

        ctx.apply("../mtls-strict-refuses-plaintext/" + StrictMtlsRefusesPlaintext.PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "PERMISSIVE"));
        ctx.establish(StrictMtlsRefusesPlaintext.PLAINTEXT_ADMITTED_UNDER_PERMISSIVE, plaintext, server.http(), server.tcp());
        ctx.apply("../mtls-strict-refuses-plaintext/" + StrictMtlsRefusesPlaintext.PEER_AUTHENTICATION, server.namespace(), Map.of("MODE", "PERMISSIVE"));
        ctx.establish(StrictMtlsRefusesPlaintext.PLAINTEXT_REFUSED_UNDER_STRICT, plaintext, server.http(), server.tcp());
        ctx.establish(StrictMtlsRefusesPlaintext.ENROLLED_ADMITTED_UNDER_STRICT, enrolled, server.http(), server.tcp());
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new StrictMtlsRefusesPlaintext().verdict(e);
    }
}
