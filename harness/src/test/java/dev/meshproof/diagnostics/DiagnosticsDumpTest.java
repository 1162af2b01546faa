package dev.meshproof.diagnostics;

import dev.meshproof.core.RunDirectory;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@EnableKubernetesMockClient(crud = true)
class DiagnosticsDumpTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    @BeforeEach
    void cluster() {
        for (String ns : List.of("istio-system", "apps", "other")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        client.pods().inNamespace("istio-system").resource(pod("istiod-1", "discovery", 2, Map.of("app", "istiod"))).create();
        client.pods().inNamespace("istio-system").resource(pod("ztunnel-x", "istio-proxy", 0, Map.of("app", "ztunnel"))).create();
        // a waypoint in a namespace nobody named: found through its class label
        client.pods().inNamespace("other").resource(pod("waypoint-1", "istio-proxy", 0,
                Map.of("gateway.networking.k8s.io/gateway-class-name", "istio-waypoint"))).create();
        client.v1().events().inNamespace("istio-system").resource(new EventBuilder().withNewMetadata().withName("e1").endMetadata()
                .withType("Warning").withReason("BackOff").withMessage("Back-off restarting failed container discovery")
                .withNewInvolvedObject().withKind("Pod").withName("istiod-1").endInvolvedObject().build()).create();
        log("istio-system", "istiod-1", "discovery", false, "istiod current log\n");
        log("istio-system", "istiod-1", "discovery", true, "istiod crashed: bad mesh config\n");
        log("istio-system", "ztunnel-x", "istio-proxy", false, "ztunnel says hi\n".repeat(100));
        log("other", "waypoint-1", "istio-proxy", false, "waypoint log\n");
    }

    private void log(String ns, String pod, String container, boolean previous, String body) {
        server.expect().get().withPath("/api/v1/namespaces/" + ns + "/pods/" + pod + "/log?container=" + container
                + (previous ? "&previous=true" : "") + "&tailLines=50").andReturn(200, body).always();
    }

    private static Pod pod(String name, String container, int restarts, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName(container).withImage("docker.io/istio/x:1.29.6").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName(container).withRestartCount(restarts).endContainerStatus().endStatus().build();
    }

    @Test
    void dumpsPodsEventsLogsPreviousLogsWaypointsAndManifestsWithAnIndex() throws IOException {
        Path manifest = Files.writeString(tmp.resolve("04-istiod.yaml"), "kind: Deployment\n");
        Path dir = new DiagnosticsDump(client, 1_000_000, 50).collect(RunDirectory.at(tmp.resolve("run")), List.of("istio-system", "apps"), List.of(manifest));

        assertThat(dir.resolve("istio-system/pods.yaml")).content().contains("name: \"istiod-1\"").contains("restartCount: 2");
        assertThat(dir.resolve("istio-system/events.txt")).content().contains("Warning BackOff Pod/istiod-1: Back-off restarting failed container discovery");
        assertThat(dir.resolve("istio-system/logs/istiod-1_discovery.log")).hasContent("istiod current log");
        assertThat(dir.resolve("istio-system/logs/istiod-1_discovery.previous.log")).hasContent("istiod crashed: bad mesh config");
        assertThat(dir.resolve("istio-system/logs/ztunnel-x_istio-proxy.previous.log")).doesNotExist(); // no restart, no previous log
        assertThat(dir.resolve("other/logs/waypoint-1_istio-proxy.log")).hasContent("waypoint log");
        assertThat(dir.resolve("apps/pods.yaml")).exists();
        assertThat(dir.resolve("manifests/04-istiod.yaml")).hasContent("kind: Deployment");
        String index = Files.readString(dir.resolve("index.txt"));
        assertThat(index).contains("# namespaces: istio-system, apps, other")
                .contains("collected istio-system/logs/istiod-1_discovery.previous.log")
                .contains("collected manifests/04-istiod.yaml")
                .doesNotContain("truncated ").doesNotContain("skipped ");
    }

    @Test
    void sizeCapTruncatesThenSkipsAndTheIndexSaysSo() throws IOException {
        Path dir = new DiagnosticsDump(client, 3_000, 50).collect(RunDirectory.at(tmp.resolve("run")), List.of("istio-system"), List.of());
        String index = Files.readString(dir.resolve("index.txt"));
        assertThat(index).contains("# size cap: 3000 bytes").containsPattern("truncated .*\\(\\d+ of \\d+ bytes\\)")
                .containsPattern("skipped   \\S+ \\(\\d+ bytes\\): size cap of 3000 bytes reached");
        long total;
        try (var files = Files.walk(dir)) {
            total = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("index.txt"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(3_000 + 200); // the cap, plus the one truncation note
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(DiagnosticsDumpTest::read)
                    .anyMatch(s -> s.contains("[meshproof: truncated here, size cap of 3000 bytes reached]"))).isTrue();
        }
    }

    @Test
    void whatCannotBeReadIsListedAsSkipped() throws IOException {
        client.pods().inNamespace("apps").resource(pod("echo-1", "echo", 0, Map.of())).create();
        // as with RBAC that does not grant pods/log
        server.expect().get().withPath("/api/v1/namespaces/apps/pods/echo-1/log?container=echo&tailLines=50")
                .andReturn(403, "pods/log is forbidden").always();
        Path dir = new DiagnosticsDump(client, 1_000_000, 50).collect(RunDirectory.at(tmp.resolve("run")), List.of("apps"), List.of(tmp.resolve("missing.yaml")));
        assertThat(Files.readString(dir.resolve("index.txt")))
                .contains("skipped   logs of apps/echo-1 container echo: ")
                .contains("skipped   read " + tmp.resolve("missing.yaml"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
