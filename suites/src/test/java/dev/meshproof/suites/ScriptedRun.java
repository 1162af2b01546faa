package dev.meshproof.suites;

import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.CheckEnvironment;
import dev.meshproof.conformance.ConformanceRun;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.conformance.Timeouts;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.report.RunReport;
import dev.meshproof.mesh.FakeControllers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.verdict.CheckResult;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks run as {@code meshproof run} runs them (JUnit Platform Launcher), on the fabric8 mock API server with
 * the test playing the controllers and a {@link ScriptedMesh}: a real run directory with every check's evidence and
 * verdict, for the tests of the checks and of what is made from a run (reports, bundle, validation).
 */
final class ScriptedRun {
    /** Small bounds: the scripted mesh answers at once. */
    static final Timeouts FAST = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(150),
            Duration.ofMillis(20), Duration.ofSeconds(1), 2);

    private ScriptedRun() {
    }

    /** Runs the checks {@code only} (empty: all) into {@code run}; the diagnostics hook writes the namespaces it was given. */
    static List<CheckResult> run(KubernetesClient client, Path run, MeshMode mode, List<String> only, Fault... faults) {
        return runSelected(client, run, mode, CheckCatalog.load().select(only, List.of(), Level.EXTENDED), faults);
    }

    /** Runs {@code checks} (e.g. mutations, which the catalogue does not list) into {@code run}. */
    static List<CheckResult> run(KubernetesClient client, Path run, MeshMode mode, CheckCatalog checks, Fault... faults) {
        return runSelected(client, run, mode, checks.select(List.of(), List.of(), Level.EXTENDED), faults);
    }

    private static List<CheckResult> runSelected(KubernetesClient client, Path run, MeshMode mode, List<CheckCatalog.Entry> selected, Fault... faults) {
        try (FakeControllers controllers = new FakeControllers(client).start(); ScriptedMesh mesh = new ScriptedMesh(client, faults);
             Scope scope = new Scope("test run")) {
            CheckEnvironment env = new CheckEnvironment(client, mode, "1.29.6", "meshproof/agent:test", run, "test-run", FAST, mesh, Map.of(),
                    (namespaces, dir) -> {
                        try {
                            Files.writeString(Files.createDirectories(dir.resolve("diagnostics")).resolve("namespaces.txt"), String.join("\n", namespaces));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, scope);
            List<CheckResult> results = new ConformanceRun(env, 2).run(ConformanceRun.plan(selected, DataPlane.providedBy(mode)));
            assertThat(mesh.calls()).as("traffic went through the scripted mesh").isPositive();
            return results;
        }
    }

    /** A copy of the run directory {@code from} at {@code to}, to change without touching the run other tests read. */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** What {@code meshproof run} writes after the checks: summary.json and summary.md with every result (skipped ones too). */
    static void summarize(Path run, MeshMode mode, List<CheckResult> results) {
        RunReport report = new RunReport(RunDirectory.at(run));
        report.cluster("fabric8 mock API server");
        report.mesh("1.29.6", mode.flag());
        report.checks(results);
        report.write();
    }
}
