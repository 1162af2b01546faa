package dev.meshproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.cluster.TestKubeconfig;
import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.ConformanceStage;
import dev.meshproof.conformance.Level;
import dev.meshproof.conformance.Timeouts;
import dev.meshproof.core.Interruption;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import dev.meshproof.core.Waits;
import dev.meshproof.mesh.ChartsDirectory;
import dev.meshproof.mesh.FakeControllers;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioInstaller;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshValues;
import dev.meshproof.mesh.TestCharts;
import dev.meshproof.suites.ScriptedMesh;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `meshproof run` on the mock API server, stopped by SIGTERM while a check is running: the summary says
 * interrupted during the conformance step with exit 143, and the cleanups that SIGTERM's shutdown hooks run (here
 * run in-process in place of System.exit) leave nothing behind: no check namespace, no policy, no Istio.
 */
@EnableKubernetesMockClient(crud = true)
class InterruptedRunTest {
    KubernetesClient client;

    @TempDir
    Path tmp;

    final AtomicInteger exitCode = new AtomicInteger(-1);

    @AfterEach
    void forget() {
        Interruption.resetForTests(System::exit);
    }

    @Test
    void sigtermDuringTheChecksWritesInterruptedAndCleansUpEverything() throws Exception {
        Interruption.resetForTests(code -> {
            exitCode.set(code);
            Scope.closeAllOpen(); // what the JVM's shutdown hooks do after System.exit(143)
        });
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        Path kubeconfig = TestKubeconfig.write(tmp.resolve("kubeconfig"), client.getMasterUrl().toString());
        ConformanceStage checks = new ConformanceStage(CheckCatalog.load().select(List.of("l4-deny-by-principal"), List.of(), Level.EXTENDED),
                "meshproof/agent:test", "base", new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofSeconds(1), 1), 1, k -> new ScriptedMesh(k));
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            Thread signal = new Thread(() -> {
                // SIGTERM once the check has both namespaces and is driving its first step (a 30 s hold)
                org.awaitility.Awaitility.await("the check's namespaces").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> client.namespaces().withLabel("meshproof.dev/check").list().getItems().size() >= 2);
                org.awaitility.Awaitility.await("the check driving traffic").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> java.nio.file.Files.exists(run.resolve("checks/l4-deny-by-principal/ambient/calls.jsonl")));
                Interruption.trigger(Interruption.Cause.SIGTERM);
            });
            signal.start();
            Scope scope = new Scope("run");
            try {
                new RunPipeline(new KubeconfigClusterProvider(kubeconfig, null), cluster -> {
                    InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, cluster.platform(), Optional.empty(), Versions.defaults(), MeshValues.none());
                    return new IstioInstaller(cluster.client(), plan, new ChartsDirectory(Path.of(System.getProperty("meshproof.repo.root", ".."), "harness/src/test/resources/charts")), TestCharts.createOrUpdate(cluster.client()),
                            new Waits(Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(1)), tmp.resolve("mesh"), "v1.34.6");
                }, run, true, checks).execute(scope);
            } catch (RuntimeException torn) {
                // the run's clients and namespaces were torn down under it: expected after an interruption
            } finally {
                scope.close();
            }
            signal.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(exitCode.get()).isEqualTo(143);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.get("result").asText()).isEqualTo("interrupted");
        assertThat(summary.get("exitCode").asInt()).isEqualTo(143);
        assertThat(summary.get("error").asText()).isEqualTo("interrupted by SIGTERM during 'conformance checks (1 selected)'");
        assertThat(run.resolve("junit.xml")).as("reports written on interruption too").exists();
        assertThat(run.resolve("conformance-report.yaml")).exists();
        assertThat(run.resolve("report.html")).exists();
        assertThat(client.namespaces().withLabel("meshproof.dev/check").list().getItems()).as("check namespaces deleted").isEmpty();
        assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).as("Istio uninstalled from the user's cluster").isEmpty();
        assertThat(Scope.pendingEverywhere()).as("no cleanup left pending").isEmpty();
    }
}
