package dev.meshproof.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InstallCommandTest {
    @TempDir
    Path tmp;

    @Test
    void dryRunPrintsTheOrderedAmbientPlanForK3s() {
        CliRunner r = CliRunner.run("install", "--dry-run", "--platform", "k3s");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String plan = r.out();
        assertThat(plan).startsWith("Meshproof install plan: Istio 1.29.6, mode ambient, platform k3s\n");
        // the order: namespace, base, Gateway API CRDs, istiod, cni, ztunnel
        assertThat(plan).containsSubsequence("1. namespace istio-system",
                "2. chart base 1.29.6 (release istio-base, namespace istio-system)",
                "waits for:", "CustomResourceDefinitions of chart base Established=True",
                "3. Gateway API CRDs v1.4.1 (standard channel)",
                "manifest: https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml",
                "4. chart istiod 1.29.6 (release istiod, namespace istio-system)",
                "profile: ambient", "hub: docker.io/istio", "tag: \"1.29.6\"", "platform: k3s",
                "Deployment istio-system/istiod Available=True", "GatewayClass istio-waypoint present",
                "5. chart cni 1.29.6 (release istio-cni, namespace istio-system)", "profile: ambient", "platform: k3s",
                "cni.cniBinDir: read from the k3s node's containerd config at install time",
                "DaemonSet istio-system/istio-cni-node numberReady=desiredNumberScheduled>0",
                "6. chart ztunnel 1.29.6 (release ztunnel, namespace istio-system)", "profile: ambient",
                "DaemonSet istio-system/ztunnel numberReady=desiredNumberScheduled>0");
        assertThat(plan).doesNotContain("7. ").doesNotContain("istio-sidecar-injector");
    }

    @Test
    void dryRunTouchesNoNetworkAndNeedsNoKubeconfig() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer repo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        repo.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        repo.start();
        try {
            String url = "http://127.0.0.1:" + repo.getAddress().getPort() + "/charts";
            CliRunner r = CliRunner.run("install", "--dry-run", "--platform", "generic", "--mode", "sidecar",
                    "--chart-repository", url, "--istio-version", "1.30.3");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Istio 1.30.3, mode sidecar, platform generic").contains("Helm repository " + url)
                    .contains("chart istiod 1.30.3").contains("MutatingWebhookConfiguration istio-sidecar-injector present")
                    .doesNotContain("chart cni").doesNotContain("chart ztunnel").doesNotContain("profile: ambient").doesNotContain("platform: k3s");
            assertThat(requests.get()).isZero();
        } finally {
            repo.stop(0);
        }
        // an unreachable repository is no problem either
        CliRunner closed = CliRunner.run("install", "--dry-run", "--chart-repository", "http://127.0.0.1:1/charts");
        assertThat(closed.exitCode()).isZero();
    }

    @Test
    void dryRunShowsUserValuesMergedOverMeshproofs() throws IOException {
        Path values = Files.writeString(tmp.resolve("v.yaml"), "global: {hub: mirror.example/istio}\ncni: {ambient: {ipv6: false}}\n");
        CliRunner r = CliRunner.run("install", "--dry-run", "--mode", "hybrid", "--values", values.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("hub: mirror.example/istio").doesNotContain("hub: docker.io/istio")
                .containsSubsequence("chart cni", "ipv6: false", "chart ztunnel")
                .contains("MutatingWebhookConfiguration istio-sidecar-injector present", "GatewayClass istio-waypoint present");
    }

    @Test
    void dryRunWithChartsDirSaysNothingIsFetched() {
        CliRunner r = CliRunner.run("install", "--dry-run", "--charts-dir", tmp.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Charts: charts directory " + tmp + " (offline: nothing is fetched)");
    }

    @Test
    void badValuesFileExitsTwoNamingFileAndProblem() throws IOException {
        Path values = Files.writeString(tmp.resolve("bad.yaml"), "istiod: {pilot: [\n");
        CliRunner r = CliRunner.run("install", "--dry-run", "--values", values.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: values file " + values + " is not valid YAML at line").contains("hint: ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownModeAndPlatformExitTwo() {
        CliRunner mode = CliRunner.run("install", "--dry-run", "--mode", "linkerd");
        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.err()).contains("error: unknown --mode 'linkerd'").contains("hint: use ambient, sidecar or hybrid");
        CliRunner platform = CliRunner.run("install", "--dry-run", "--platform", "kind");
        assertThat(platform.exitCode()).isEqualTo(2);
        assertThat(platform.err()).contains("error: unknown --platform 'kind'");
    }

    @Test
    void platformWithoutDryRunAndDryRunWithUninstallAreUsageErrors() {
        assertThat(CliRunner.run("install", "--platform", "k3s").err()).contains("--platform only applies to --dry-run");
        CliRunner both = CliRunner.run("install", "--dry-run", "--uninstall");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("cannot be combined with --uninstall");
    }

    @Test
    void realInstallWithMissingKubeconfigExitsTwoNamingThePath() {
        Path missing = tmp.resolve("nope.yaml");
        CliRunner r = CliRunner.run("install", "--cluster", "kubeconfig", "--kubeconfig", missing.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: kubeconfig file not found: " + missing);
    }

    @Test
    void installWithoutAClusterUpSaysHowToGetOne() {
        // The default --cluster k3s means "the k3s that 'meshproof cluster up' keeps"; none runs in this test's home.
        String home = System.getProperty("meshproof.home");
        System.setProperty("meshproof.home", tmp.toString());
        try {
            CliRunner r = CliRunner.run("install", "--out", tmp.resolve("run").toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("install needs a running cluster").contains("hint: start one with 'meshproof cluster up'");
        } finally {
            if (home == null) {
                System.clearProperty("meshproof.home");
            } else {
                System.setProperty("meshproof.home", home);
            }
        }
    }
}
