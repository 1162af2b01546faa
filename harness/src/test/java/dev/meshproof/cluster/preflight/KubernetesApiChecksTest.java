package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.TestKubeconfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@EnableKubernetesMockClient(crud = true)
class KubernetesApiChecksTest {
    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path tmp;

    @Test
    void validKubeconfigAndAnsweringServerPass() throws IOException {
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), client.getMasterUrl().toString());
        try (KubernetesAccess access = new KubernetesAccess(kc, "ctx1")) {
            CheckResult valid = new KubeconfigCheck(access).run();
            assertThat(valid.status()).isEqualTo(CheckResult.Status.OK);
            assertThat(valid.detail()).contains("context ctx1").doesNotContain(TestKubeconfig.SECRET_TOKEN);
            CheckResult reachable = new ClusterReachableCheck(access).run();
            assertThat(reachable.status()).isEqualTo(CheckResult.Status.OK);
            assertThat(reachable.detail()).startsWith("Kubernetes ");
        }
    }

    @Test
    void malformedKubeconfigFailsWithoutEchoingItsContent() throws IOException {
        Path kc = Files.writeString(tmp.resolve("kc"), "users:\n- name: u1\n  user: {token: " + TestKubeconfig.SECRET_TOKEN + "\n  [broken");
        try (KubernetesAccess access = new KubernetesAccess(kc, null)) {
            CheckResult r = new KubeconfigCheck(access).run();
            assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
            assertThat(r.detail()).contains(kc.toString());
            assertThat(r.detail() + r.hint()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
        }
    }

    @Test
    void unknownContextFails() throws IOException {
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), client.getMasterUrl().toString());
        try (KubernetesAccess access = new KubernetesAccess(kc, "nope")) {
            assertThat(new KubeconfigCheck(access).run().detail()).contains("no context 'nope'");
        }
    }

    @Test
    void closedPortFailsWithinSecondsNamingTheServer() throws IOException {
        int port = TestKubeconfig.closedPort();
        Path kc = TestKubeconfig.write(tmp.resolve("kc"), "https://127.0.0.1:" + port);
        try (KubernetesAccess access = new KubernetesAccess(kc, null)) {
            CheckResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new ClusterReachableCheck(access).run());
            assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
            assertThat(r.detail()).startsWith("https://127.0.0.1:" + port).contains("unreachable");
            assertThat(r.detail() + r.hint()).doesNotContain(TestKubeconfig.SECRET_TOKEN);
        }
    }
}
