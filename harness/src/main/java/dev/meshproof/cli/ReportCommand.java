package dev.meshproof.cli;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.report.CertificationReports;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.Implementations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code meshproof report RUN_DIR}: the run's reports written again from its directory, offline. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"(Re)write the reports of a run from its directory alone, without a cluster: junit.xml (one test case per check",
                "and data plane), conformance-report.yaml (Gateway API's ConformanceReport shape), report.html (self-contained) and",
                "allure-results/ (Allure's results, each check's evidence attached).",
                "Exit 0: written; 2: not a run directory, its evidence is malformed, or a bad --implementation;",
                "3: --allure without Allure's command line on PATH (or it failed); the other reports are written."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunDirArgument run;

    @Mixin
    ImplementationOption implementation;

    @Option(names = "--allure", description = {"Also generate Allure's HTML report (RUN_DIR/allure-report; view it with `allure open`) with the",
            "`allure` command on PATH: npm install -g allure-commandline (it runs on Java)."})
    boolean allure;

    @Override
    public Integer call() {
        ConformanceReport.Implementation declared = implementation.parse();
        Path runDir = run.existing();
        if (!Files.isDirectory(runDir.resolve("checks")) && !Files.exists(runDir.resolve("summary.json"))) {
            throw MeshproofException.usage("not a run directory: " + runDir + " (no summary.json, no checks/)",
                    "pass the directory `meshproof run` reported (reports/runs/<timestamp>)");
        }
        if (declared != null) {
            Implementations.declare(runDir, declared);
        }
        try {
            CertificationReports.write(runDir, Versions.defaults()).forEach(p -> spec.commandLine().getOut().println("wrote " + p));
        } catch (MalformedEvidenceException e) {
            throw MeshproofException.usage("evidence in " + runDir + " is malformed: " + e.getMessage(), "the layout is in docs/conformance.md, \"Evidence layout\"");
        }
        spec.commandLine().getOut().flush();
        if (allure) {
            spec.commandLine().getOut().println("wrote " + AllureCommandLine.generate(runDir, System.getenv("PATH")));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
