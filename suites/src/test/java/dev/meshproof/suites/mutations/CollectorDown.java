package dev.meshproof.suites.mutations;

import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.mesh.ExtensionProviders;
import dev.meshproof.suites.telemetry.TraceExport;
import dev.meshproof.verdict.Verdict;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Mutation of {@link TraceExport} for the live tier: the same steps, but the collector is never deployed (its namespace
 * exists, empty), so no span can be read back. Judged by the real check's verdict it must not pass: the traced requests'
 * spans are not collected (INCONCLUSIVE), and absence never passes.
 */
@Check(id = "mutation-collector-down", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "(mutation) nothing: it must not pass")
@ResourceLock(ExtensionProviders.COLLECTOR_NAMESPACE)
public class CollectorDown implements ConformanceCheck {
    @CheckBody
    void run(CheckContext ctx) {
        new TraceExport() {
            @Override
            protected void deployCollector(CheckContext c, CheckContext.Namespace ns) {
                // the collector is down: nothing deployed
            }
        }.drive(ctx);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return new TraceExport().verdict(e);
    }
}
