package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterEnvironment;
import dev.meshproof.cluster.ClusterProvider;
import dev.meshproof.conformance.ConformanceStage;
import dev.meshproof.core.Interruption;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshSession;
import dev.meshproof.core.Versions;
import dev.meshproof.report.CertificationReports;
import dev.meshproof.report.RunReport;

import java.util.function.Function;

/**
 * What {@code meshproof run} does, in data-flow order: provision the cluster, install the mesh, run the conformance
 * checks, and write the run report (summary, JUnit XML, ConformanceReport, HTML page). Every side effect registers its cleanup in the scope;
 * on failure the diagnostics dump is written before the cleanups run, and the report records the failed step.
 */
final class RunPipeline {
    private final ClusterProvider provider;
    private final Function<Cluster, MeshInstaller> installerFor;
    private final RunDirectory run;
    private final boolean uninstallAfter;
    private final ConformanceStage conformance;

    /**
     * @param uninstallAfter remove the mesh at the end (a user's cluster must be left as found; a k3s container is
     *                       simply removed, so uninstalling first would only cost time)
     */
    RunPipeline(ClusterProvider provider, Function<Cluster, MeshInstaller> installerFor, RunDirectory run, boolean uninstallAfter,
                ConformanceStage conformance) {
        this.provider = provider;
        this.installerFor = installerFor;
        this.run = run;
        this.uninstallAfter = uninstallAfter;
        this.conformance = conformance;
    }

    /** Runs every step; throws the first failure (after the report and diagnostics are written). */
    RunReport execute(Scope scope) {
        RunReport report = new RunReport(run);
        // A signal or --timeout: the summary says interrupted, and where, before the scope's cleanups run.
        Interruption.onInterrupt(cause -> {
            report.interrupted(cause.exitCode(), cause.description());
            report.write();
            writeCertificationReports();
        });
        try {
            Cluster cluster = report.step("provision cluster (" + provider.name() + ")", () -> provider.provision(run, scope));
            report.cluster(cluster.description());
            MeshInstaller installer = installerFor.apply(cluster);
            report.mesh(installer.plan().istioVersion(), installer.plan().mode().flag());
            MeshSession.install(cluster, installer, run, scope, uninstallAfter, report::step);
            ClusterEnvironment.record(cluster.client(), installer.plan().namespace(), run); // for a reviewer's fingerprint
            if (conformance.selected().isEmpty()) {
                Progress.info("no conformance checks selected: the run ends after the install");
            } else {
                report.checks(report.step("conformance checks (" + conformance.selected().size() + " selected)",
                        () -> conformance.run(cluster, installer.plan().mode(), installer.plan().istioVersion(), run, scope)));
                Progress.step("conformance: " + report.checksSummary());
            }
            return report;
        } catch (MeshproofException e) {
            report.failed(e.exitCode(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            report.failed(dev.meshproof.core.ExitCode.INTERNAL, String.valueOf(e));
            throw e;
        } finally {
            report.write();
            writeCertificationReports();
        }
    }

    /** JUnit XML, the ConformanceReport and the HTML page, also after a failure; a problem with them never hides the run's own. */
    private void writeCertificationReports() {
        try {
            CertificationReports.write(run.root(), Versions.defaults());
        } catch (RuntimeException e) {
            Progress.info("reports: not written (" + e.getMessage() + "); `meshproof report " + run.root() + "` retries");
        }
    }
}
