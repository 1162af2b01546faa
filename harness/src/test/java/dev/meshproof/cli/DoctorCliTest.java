package dev.meshproof.cli;

import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.cluster.TestKubeconfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DoctorCliTest {
    static final String IMAGE = "rancher/k3s:v1.34.6-k3s1";
    @TempDir
    Path tmp;

    @Test
    void withoutDockerTheDockerCategoryFailsAndTheImageCheckIsSkipped() {
        CliRunner r = ClusterCliTest.with(FakeDockerEngine.unreachable(), "doctor");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("""
                docker
                  [FAIL] Docker engine reachable: no Docker engine found (DOCKER_HOST unset, /var/run/docker.sock missing)
                """).contains("  [skip] image " + IMAGE + " available: needs 'Docker engine reachable'")
                .contains("host kernel (runs the k3s node)").contains("inotify limits");
    }

    @Test
    void unpullableImageFailsTheDoctor() {
        CliRunner r = ClusterCliTest.with(FakeDockerEngine.reachable(false).pullFails("no answer from the registry within 3s"),
                "doctor", "--pull-timeout", "3");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("  [FAIL] image " + IMAGE + " available: cannot pull " + IMAGE + " (no answer from the registry within 3s)");
    }

    @Test
    void dockerAndImageOkLeaveTheVerdictToTheHostChecks() {
        CliRunner r = ClusterCliTest.with(FakeDockerEngine.reachable(false).withImage(IMAGE), "doctor");
        assertThat(r.out()).contains("  [ok]   Docker engine reachable: Docker 99.0").contains("  [ok]   image " + IMAGE + " available: present locally");
        // this machine's kernel decides the rest; the exit code must agree with what was printed
        assertThat(r.exitCode()).isEqualTo(r.out().contains("[FAIL]") ? 1 : 0);
    }

    @Test
    void closedPortFailsReachabilityAndSkipsRbacWithoutShowingTheToken() throws IOException {
        int port = TestKubeconfig.closedPort();
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), "https://127.0.0.1:" + port);
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                CliRunner.run("doctor", "--cluster", "kubeconfig", "--kubeconfig", kc.toString()));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("  [ok]   kubeconfig valid: " + kc + ", context ctx1, server https://127.0.0.1:" + port)
                .contains("  [FAIL] Kubernetes API reachable: https://127.0.0.1:" + port)
                .contains("  [skip] RBAC sufficient to install the mesh: needs 'Kubernetes API reachable'");
        assertThat(r.out() + r.err()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
    }

    @Test
    void jsonOutputCarriesEveryCheckAndTheVerdict() throws IOException {
        CliRunner r = ClusterCliTest.with(FakeDockerEngine.unreachable(), "doctor", "-o", "json");
        assertThat(r.exitCode()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(doc.path("success").asBoolean(true)).isFalse();
        com.fasterxml.jackson.databind.JsonNode docker = doc.path("categories").get(0);
        assertThat(docker.path("categoryName").asText()).isEqualTo("docker");
        assertThat(docker.path("checks").get(0).path("result").asText()).isEqualTo("fail");
        assertThat(docker.path("checks").get(0).path("hint").asText()).contains("--cluster kubeconfig");
        assertThat(docker.path("checks").get(1).path("result").asText()).isEqualTo("skipped");
        assertThat(doc.path("categories").get(1).path("checks").size()).isEqualTo(4);
    }

    @Test
    void unknownOutputFormatIsUsageError() {
        CliRunner r = CliRunner.run("doctor", "-o", "yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --output 'yaml'");
    }
}
