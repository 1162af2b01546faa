package dev.meshproof.cli;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.report.CertificationReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meshproof report RUN_DIR}: the run's reports written again from its directory, offline. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"(Re)write the reports of a run from its directory alone, without a cluster: junit.xml (one test case per check",
                "and data plane), conformance-report.yaml (Gateway API's ConformanceReport shape) and report.html (self-contained).",
                "Exit 0: written; 2: not a run directory, or its evidence is malformed."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunDirArgument run;

    @Override
    public Integer call() {
        Path runDir = run.existing();
        if (!Files.isDirectory(runDir.resolve("checks")) && !Files.exists(runDir.resolve("summary.json"))) {
            throw MeshproofException.usage("not a run directory: " + runDir + " (no summary.json, no checks/)",
                    "pass the directory `meshproof run` reported (reports/runs/<timestamp>)");
        }
        try {
            CertificationReports.write(runDir, Versions.defaults()).forEach(p -> spec.commandLine().getOut().println("wrote " + p));
        } catch (MalformedEvidenceException e) {
            throw MeshproofException.usage("evidence in " + runDir + " is malformed: " + e.getMessage(), "the layout is in docs/conformance.md, \"Evidence layout\"");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
