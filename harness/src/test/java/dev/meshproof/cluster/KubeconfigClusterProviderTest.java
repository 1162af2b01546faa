package dev.meshproof.cluster;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@EnableKubernetesMockClient(crud = true)
class KubeconfigClusterProviderTest {
    static final String SECRET_TOKEN = TestKubeconfig.SECRET_TOKEN;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    static String kubeconfig(String serverUrl) {
        return TestKubeconfig.yaml(serverUrl);
    }

    @Test
    void missingFileIsUsageErrorNamingThePath() {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> new KubeconfigClusterProvider(missing, null).provision(RunDirectory.at(tmp.resolve("run")), new Scope("t")))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("kubeconfig file not found: " + missing);
                });
    }

    @Test
    void unknownContextIsUsageError() throws IOException {
        Path file = Files.writeString(tmp.resolve("kc"), kubeconfig("https://127.0.0.1:1"));
        assertThatThrownBy(() -> new KubeconfigClusterProvider(file, "nope").provision(RunDirectory.at(tmp.resolve("run")), new Scope("t")))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).contains("no context 'nope'");
                });
    }

    @Test
    void closedPortIsEnvironmentErrorWithinSecondsAndNeverShowsTheToken() throws IOException {
        int closedPort = TestKubeconfig.closedPort();
        Path file = Files.writeString(tmp.resolve("kc"), kubeconfig("https://127.0.0.1:" + closedPort));
        try (Scope scope = new Scope("t")) {
            MeshproofException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    new KubeconfigClusterProvider(file, null).provision(RunDirectory.at(tmp.resolve("run")), scope);
                    return null;
                } catch (MeshproofException ex) {
                    return ex;
                }
            });
            assertThat(e).isNotNull();
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).contains("unreachable");
            assertThat(e.getMessage() + e.hint()).doesNotContain(SECRET_TOKEN);
        }
    }

    @Test
    void reachableClusterWritesPrivateKubeconfigCopy() throws IOException {
        Path file = Files.writeString(tmp.resolve("kc"), kubeconfig(client.getMasterUrl().toString()));
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        try (Scope scope = new Scope("t"); Cluster cluster = new KubeconfigClusterProvider(file, "ctx1").provision(run, scope)) {
            assertThat(cluster.kubeconfig()).isEqualTo(run.resolve("kubeconfig.yaml"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cluster.kubeconfig()))).isEqualTo("rw-------");
            assertThat(cluster.description()).contains("ctx1").doesNotContain(SECRET_TOKEN);
            assertThat(cluster.platform()).isEqualTo(Cluster.Platform.GENERIC);
            assertThat(cluster.client().namespaces().list().getItems()).isEmpty();
        }
    }

    @Test
    void theRunsClientRetriesA429AndWaitsAsLongAsTheApiServer() throws IOException {
        // The pre-flight settings (10 s, no retries) once reached the whole run: one 429 from a busy API server
        // failed the install. Now only the reachability probe has them.
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("busy").endMetadata().build()).create();
        server.expect().get().withPath("/api/v1/namespaces/default/configmaps/busy")
                .andReturn(429, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(429).withReason("TooManyRequests").build())
                .once();
        Path file = Files.writeString(tmp.resolve("kc"), kubeconfig(client.getMasterUrl().toString()));
        try (Scope scope = new Scope("t"); Cluster cluster = new KubeconfigClusterProvider(file, "ctx1").provision(RunDirectory.at(tmp.resolve("run")), scope)) {
            assertThat(cluster.client().configMaps().inNamespace("default").withName("busy").get()).isNotNull();
            assertThat(cluster.client().getConfiguration().getRequestTimeout()).isEqualTo(60_000);
            assertThat(cluster.client().getConfiguration().getRequestRetryBackoffLimit()).isPositive();
        }
    }
}
