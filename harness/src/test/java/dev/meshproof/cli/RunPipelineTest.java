package dev.meshproof.cli;

import dev.meshproof.cluster.TestKubeconfig;
import dev.meshproof.conformance.ConformanceStage;
import dev.meshproof.conformance.Timeouts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import dev.meshproof.core.Waits;
import dev.meshproof.mesh.ChartsDirectory;
import dev.meshproof.mesh.FakeControllers;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioInstaller;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshValues;
import dev.meshproof.mesh.TestCharts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run pipeline on the mock API server (the test plays the controllers): the report records each step on
 * success and on failure, diagnostics are collected on failure, and the mesh is uninstalled from a user's cluster.
 */
@SuppressWarnings("try")
@EnableKubernetesMockClient(crud = true)
class RunPipelineTest {
    /** The install-only pipeline: no conformance checks (their orchestration is tested in the suites module). */
    static final ConformanceStage NO_CHECKS = ConformanceStage.live(java.util.List.of(), "meshproof/agent:test", "base", Timeouts.defaults(), 1);
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    private Path kubeconfig() throws IOException {
        return TestKubeconfig.write(tmp.resolve("kubeconfig"), client.getMasterUrl().toString());
    }

    /** The real installer with the test charts, applying create-or-update (the mock server has no server-side apply). */
    private Function<Cluster, MeshInstaller> installer(Duration timeout, Path work) {
        return cluster -> {
            InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, cluster.platform(), Optional.empty(), Versions.defaults(), MeshValues.none());
            return new IstioInstaller(cluster.client(), plan, new ChartsDirectory(TestCharts.dir()), TestCharts.createOrUpdate(cluster.client()),
                    new Waits(timeout, Duration.ofMillis(50), Duration.ofSeconds(1)), work, "v1.34.6");
        };
    }

    private JsonNode summary(RunDirectory run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void successfulRunReportsEveryStepAndLeavesTheUsersClusterAsFound() throws IOException {
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        try (FakeControllers controllers = new FakeControllers(client).start()) {
            try (Scope scope = new Scope("t")) {
                new RunPipeline(new KubeconfigClusterProvider(kubeconfig(), null), installer(Duration.ofSeconds(10), tmp.resolve("mesh")), run, true, NO_CHECKS)
                        .execute(scope);
                assertThat(client.apps().daemonSets().inNamespace("istio-system").withName("ztunnel").get()).isNotNull();
            }
            // the scope's cleanup uninstalled Istio from the user's cluster
            assertThat(client.apps().daemonSets().inAnyNamespace().list().getItems()).isEmpty();
            assertThat(client.namespaces().withName("istio-system").get()).isNull();
        }
        JsonNode s = summary(run);
        assertThat(s.get("result").asText()).isEqualTo("passed");
        assertThat(s.get("exitCode").asInt()).isZero();
        assertThat(s.get("mesh").get("istioVersion").asText()).isEqualTo("1.29.6");
        assertThat(s.get("steps")).extracting(n -> n.get("name").asText() + "=" + n.get("status").asText())
                .containsExactly("provision cluster (kubeconfig)=ok", "install Istio 1.29.6 (ambient)=ok");
        assertThat(Files.readString(run.resolve("summary.md"))).contains("# Meshproof run: passed (exit 0)").doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }

    @Test
    void failedInstallIsReportedWithDiagnosticsAndTheFailedStep() throws IOException {
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        // No controllers: istiod never becomes available, so the install's first wait times out.
        try (Scope scope = new Scope("t")) {
            RunPipeline pipeline = new RunPipeline(new KubeconfigClusterProvider(kubeconfig(), null),
                    installer(Duration.ofSeconds(1), tmp.resolve("mesh")), run, true, NO_CHECKS);
            assertThatThrownBy(() -> pipeline.execute(scope))
                    .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT));
        }
        JsonNode s = summary(run);
        assertThat(s.get("result").asText()).isEqualTo("failed");
        assertThat(s.get("exitCode").asInt()).isEqualTo(3);
        assertThat(s.get("error").asText()).contains("timed out");
        assertThat(s.get("steps")).extracting(n -> n.get("name").asText() + "=" + n.get("status").asText())
                .containsExactly("provision cluster (kubeconfig)=ok", "install Istio 1.29.6 (ambient)=failed", "collect diagnostics=ok");
        assertThat(run.resolve("diagnostics/index.txt")).exists();
        // the reports for someone else are written on failure too (no checks ran: empty, but there)
        assertThat(run.resolve("junit.xml")).content().contains("<testsuite name=\"meshproof.conformance\" tests=\"0\"");
        assertThat(run.resolve("conformance-report.yaml")).content().contains("kind: ConformanceReport").contains("version: 1.29.6");
        assertThat(run.resolve("report.html")).content().contains("<h1>Meshproof conformance run</h1>");
    }

    @Test
    void runWithoutDockerExitsThreeWithOneLineAndAFailedReport() throws Exception {
        Path out = tmp.resolve("run");
        try (AutoCloseable fake = DockerEngines.use(FakeDockerEngine.unreachable())) {
            CliRunner r = CliRunner.run("run", "--out", out.toString());
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err().lines().filter(l -> l.startsWith("error: "))).hasSize(1);
            assertThat(r.err()).contains("no Docker engine");
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(s.get("exitCode").asInt()).isEqualTo(3);
        assertThat(s.get("steps").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(out.resolve("run.log")).content().contains("provision cluster (k3s)");
    }

    @Test
    void badInputIsRejectedBeforeAnythingStarts() {
        Path out = tmp.resolve("never-created");
        CliRunner values = CliRunner.run("run", "--values", tmp.resolve("missing.yaml").toString(), "--out", out.toString());
        assertThat(values.exitCode()).isEqualTo(2);
        assertThat(values.err()).contains("missing.yaml");
        CliRunner missingKubeconfig = CliRunner.run("run", "--cluster", "kubeconfig", "--kubeconfig", "/missing", "--out", out.toString());
        assertThat(missingKubeconfig.exitCode()).isEqualTo(2);
        assertThat(missingKubeconfig.err()).contains("error: kubeconfig file not found: /missing");
        assertThat(out).doesNotExist();
    }
}
