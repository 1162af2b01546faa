package dev.meshproof.certify;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Versions;
import dev.meshproof.diagnostics.DiagnosticsDump;
import dev.meshproof.report.RunReport;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The diagnostics a run dumps from the live cluster (after a failed install: {@code diagnostics/}; after a check that
 * did not pass: {@code checks/<id>/<data plane>/diagnostics/}) are scanned like every other file before bundling:
 * the dump of Istio's own pods, which name their projected {@code istio-token} without holding one, is bundled; a
 * container log or a pod spec that holds a credential refuses the bundle naming the dump's file.
 */
@EnableKubernetesMockClient(crud = true)
class BundleDiagnosticsTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    Path run;

    @BeforeEach
    void aRunAndAClusterWithIstiosZtunnel() {
        run = tmp.resolve("run");
        RunReport report = new RunReport(RunDirectory.at(run));
        report.mesh("1.29.6", "ambient");
        report.checks(List.of(new CheckResult("l4-deny-by-port", null, "core", "p", Verdict.skipped("not selected"), 0)));
        report.write();
        for (String ns : List.of("istio-system", "apps")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        // ztunnel's pod as its chart declares it: the projected istio-token volume and its mount
        // (istio/istio@1.29.6:manifests/charts/ztunnel/templates/daemonset.yaml)
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata().withName("ztunnel-x7k2p").endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false)
                .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/ztunnel:1.29.6")
                .addNewVolumeMount().withName("istio-token").withMountPath("/var/run/secrets/tokens").endVolumeMount().endContainer()
                .addNewVolume().withName("istio-token").withNewProjected().addNewSource().withNewServiceAccountToken()
                .withPath("istio-token").withExpirationSeconds(43200L).withAudience("istio-ca").endServiceAccountToken().endSource().endProjected().endVolume()
                .endSpec().build()).create();
        log("istio-system", "ztunnel-x7k2p", "istio-proxy", "2026-01-02T03:04:05.000000Z\tinfo\tztunnel::app\tztunnel up\n");
    }

    @Test
    void aDumpOfIstiosPodsIsBundled() throws IOException {
        Path dump = DiagnosticsDump.defaults(client).collect(RunDirectory.at(run), List.of("istio-system"), List.of());
        assertThat(dump.resolve("istio-system/pods.yaml")).content().contains("istio-token").contains("serviceAccountToken");

        Path bundle = Bundle.write(run, tmp.resolve("run.tar.gz"), Versions.defaults());

        assertThat(entries(bundle)).contains("run/diagnostics/index.txt", "run/diagnostics/istio-system/pods.yaml",
                "run/diagnostics/istio-system/logs/ztunnel-x7k2p_istio-proxy.log");
    }

    @Test
    void aContainerLogWithATokenInTheRunsDumpRefusesTheBundle() {
        client.pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("client").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec().build()).create();
        log("apps", "client", "app", "{\"level\":\"debug\",\"msg\":\"refreshed\",\"token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ\"}\n");
        DiagnosticsDump.defaults(client).collect(RunDirectory.at(run), List.of("istio-system", "apps"), List.of());

        assertRefused(run.resolve("diagnostics/apps/logs/client_app.log"), "a bearer token");
    }

    @Test
    void aPodSpecWithAPrivateKeyInACheckDumpRefusesTheBundle() throws IOException {
        client.pods().inNamespace("apps").resource(new PodBuilder().withNewMetadata().withName("server").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1")
                .addNewEnv().withName("TLS_KEY").withValue("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n").endEnv()
                .endContainer().endSpec().build()).create();
        log("apps", "server", "app", "listening on :8080\n");
        Path evidence = Files.createDirectories(run.resolve("checks/l4-deny-by-port/ambient"));
        DiagnosticsDump.defaults(client).collect(RunDirectory.at(evidence), List.of("apps"), List.of());

        assertRefused(evidence.resolve("diagnostics/apps/pods.yaml"), "a private key");
    }

    private void assertRefused(Path file, String what) {
        Path out = tmp.resolve("refused.tar.gz");
        assertThatThrownBy(() -> Bundle.write(run, out, Versions.defaults()))
                .isInstanceOf(MeshproofException.class)
                .hasMessageStartingWith("refusing to bundle: " + file + " holds " + what);
        assertThat(out).doesNotExist();
    }

    private void log(String ns, String pod, String container, String body) {
        server.expect().get().withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?container=" + container + "&tailLines=2000")
                .andReturn(200, body).always();
    }

    private static List<String> entries(Path bundle) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(bundle); TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.add(e.getName());
            }
        }
        return out;
    }
}
