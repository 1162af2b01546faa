package dev.meshproof.cli;

import dev.meshproof.cluster.TestKubeconfig;
import dev.meshproof.core.Progress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meshproof install} against the mock API server through a kubeconfig. Uninstall with nothing installed is a
 * no-op. A real (not dry-run) install whose first apply the API server refuses — here because fabric8's mock server does not
 * implement server-side apply (HTTP 404 for a new object, 415 for an existing one) — exits 3 naming the object, and leaves a diagnostics dump in the run directory.
 */
@EnableKubernetesMockClient(crud = true)
class InstallCommandOnClusterTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    private Path kubeconfig() throws IOException {
        return TestKubeconfig.write(tmp.resolve("kubeconfig"), client.getMasterUrl().toString());
    }

    @Test
    void uninstallWithNothingInstalledSaysSoAndExitsZero() throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Progress.redirect(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            CliRunner r = CliRunner.run("install", "--uninstall", "--cluster", "kubeconfig", "--kubeconfig", kubeconfig().toString(), "--out", tmp.resolve("run").toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
        } finally {
            Progress.redirect(System.err);
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("no Meshproof install inventory in namespace istio-system: nothing to uninstall");
    }

    @Test
    void refusedApplyExitsThreeAndDumpsDiagnostics() throws IOException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps")
                .addToLabels("istio.io/dataplane-mode", "ambient").endMetadata().build()).create();
        client.pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("echo-1").endMetadata()
                .withNewSpec().addNewContainer().withName("echo").withImage("x").endContainer().endSpec().build()).create();
        Path kubeconfig = kubeconfig();
        Path run = tmp.resolve("run");

        CliRunner r = CliRunner.run("install", "--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--out", run.toString(),
                "--charts-dir", tmp.toString(), "--wait-timeout", "5");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("error: the cluster refused Namespace istio-system (step namespace): HTTP 404")
                .doesNotContain(TestKubeconfig.SECRET_TOKEN);
        assertThat(run.resolve("plan.txt")).content().contains("1. namespace istio-system");
        String index = Files.readString(run.resolve("diagnostics/index.txt"));
        assertThat(index).contains("# namespaces: istio-system, apps").contains("collected apps/pods.yaml");
    }
}
