package dev.meshproof.cli;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real (not dry-run) install whose first apply the API server refuses — here because fabric8's mock server does not
 * implement server-side apply (HTTP 404 for a new object, 415 for an existing one) — exits 3 naming the object, and leaves a diagnostics dump in the run directory.
 */
@EnableKubernetesMockClient(crud = true)
class InstallFailureDiagnosticsTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    @Test
    void refusedApplyExitsThreeAndDumpsDiagnostics() throws IOException {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps")
                .addToLabels("istio.io/dataplane-mode", "ambient").endMetadata().build()).create();
        client.pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("echo-1").endMetadata()
                .withNewSpec().addNewContainer().withName("echo").withImage("x").endContainer().endSpec().build()).create();
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                contexts: [{name: ctx, context: {cluster: c, user: u}}]
                current-context: ctx
                users: [{name: u, user: {token: t0ken-never-shown}}]
                """.formatted(client.getMasterUrl()));
        Path run = tmp.resolve("run");

        CliRunner r = CliRunner.run("install", "--kubeconfig", kubeconfig.toString(), "--out", run.toString(),
                "--charts-dir", tmp.toString(), "--timeout", "5");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("error: the cluster refused Namespace istio-system (step namespace): HTTP 404")
                .doesNotContain("t0ken-never-shown");
        assertThat(run.resolve("plan.txt")).content().contains("1. namespace istio-system");
        String index = Files.readString(run.resolve("diagnostics/index.txt"));
        assertThat(index).contains("# namespaces: istio-system, apps").contains("collected apps/pods.yaml");
    }
}
