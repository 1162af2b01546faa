package dev.meshproof.cli;

import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.Rejudge;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.evidence.MalformedEvidenceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meshproof verdict RUN_DIR}: every check's verdict recomputed from the run's recorded evidence alone. */
@Command(name = "verdict", mixinStandardHelpOptions = true,
        description = {"Recompute every conformance check's verdict from the evidence recorded in RUN_DIR (checks/<id>/<data plane>/),",
                "without a cluster, and print it next to the verdict the run recorded.",
                "Exit 0: every check passed (or was skipped); 1: a check failed or was inconclusive; 2: evidence missing or malformed."})
public final class VerdictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunDirArgument run;

    @Override
    public Integer call() {
        Path runDir = run.existing();
        List<Rejudge.Rejudged> results;
        try {
            results = Rejudge.runDirectory(runDir, CheckCatalog.load());
        } catch (MalformedEvidenceException e) {
            throw MeshproofException.usage("evidence in " + runDir + " is missing or malformed: " + e.getMessage(),
                    "the layout is in docs/conformance.md, \"Evidence layout\"");
        }
        boolean failed = false;
        for (Rejudge.Rejudged r : results) {
            String recorded = r.recorded() == null ? "none recorded" : r.agrees() ? "as recorded" : "recorded " + r.recorded().status() + "!";
            spec.commandLine().getOut().printf("%-12s %s [%s] (%s)%n", r.verdict().status(), r.check(), r.dataPlane(), recorded);
            r.verdict().reasons().forEach(reason -> spec.commandLine().getOut().println("    " + reason));
            failed |= r.verdict().failsRun();
        }
        spec.commandLine().getOut().flush();
        return failed ? 1 : 0;
    }
}
