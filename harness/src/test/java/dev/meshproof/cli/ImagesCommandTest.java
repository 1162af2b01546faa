package dev.meshproof.cli;

import dev.meshproof.mesh.UpstreamRelease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** `meshproof images` over the real 1.29.6 charts as a --charts-dir: offline, one reference per line on stdout. */
@ExtendWith(UpstreamRelease.class)
class ImagesCommandTest {

    @Test
    void ambientOnK3sListsK3sIstiosDistrolessImagesWithTheWaypointProxyAndTheAgentsBase(UpstreamRelease upstream) {
        CliRunner r = CliRunner.run("images", "--charts-dir", upstream.chartsDir().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "rancher/k3s:v1.34.6-k3s1",
                "docker.io/istio/pilot:1.29.6-distroless",
                "docker.io/istio/install-cni:1.29.6-distroless",
                "docker.io/istio/ztunnel:1.29.6-distroless",
                "docker.io/istio/proxyv2:1.29.6-distroless",
                "eclipse-temurin:17-jre");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void sidecarOnYourClusterHasNoK3sAndNoDistroless(UpstreamRelease upstream) {
        CliRunner r = CliRunner.run("images", "--mode", "sidecar", "--platform", "generic", "--charts-dir", upstream.chartsDir().toString(),
                "--agent-base", "tar:///tmp/base.tar");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("docker.io/istio/pilot:1.29.6", "docker.io/istio/proxyv2:1.29.6");
    }

    @Test
    void theChartsComeFromTheRepositoryWithoutChartsDir(UpstreamRelease upstream) {
        CliRunner r = CliRunner.run("images", "--mode", "hybrid", "--chart-repository", upstream.chartRepository(),
                "--k3s-image", "rancher/k3s:v1.33.5-k3s1", "--agent-base", "docker://meshproof/debian-jre:bookworm");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("rancher/k3s:v1.33.5-k3s1", "docker.io/istio/pilot:1.29.6-distroless",
                "docker.io/istio/install-cni:1.29.6-distroless", "docker.io/istio/ztunnel:1.29.6-distroless",
                "docker.io/istio/proxyv2:1.29.6-distroless", "meshproof/debian-jre:bookworm");
    }

    @Test
    void k3sImageOnlyForK3s() {
        CliRunner r = CliRunner.run("images", "--platform", "generic", "--k3s-image", "rancher/k3s:v1.33.5-k3s1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--k3s-image needs --platform k3s");
    }
}
