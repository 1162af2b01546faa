package dev.meshproof.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The repository client over Istio's real 1.29.6 chart repository (served from 127.0.0.1): what the planner asks
 * for is in the index, every archive is checked against the index's sha256 digest, and the cache makes the next
 * run offline. The Gateway API manifest comes from the same server under its release-asset path.
 */
@ExtendWith(UpstreamRelease.class)
class RealChartRepositoryTest {
    @TempDir
    Path tmp;

    @Test
    void fetchesEveryChartOfTheAmbientPlanVerifiedAgainstTheIndexAndCachesIt(UpstreamRelease upstream) throws IOException {
        Versions versions = upstream.versions();
        InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.empty(), versions, MeshValues.none());
        JsonNode index = new ObjectMapper(new YAMLFactory()).readTree(upstream.chartsDir().resolve("index.yaml").toFile());
        HelmRepository repository = new HelmRepository(versions.istio().chartRepository(), tmp.resolve("cache"));

        for (InstallPlan.ChartStep step : plan.charts()) {
            Path archive = repository.chart(step.chart(), step.version());
            String digest = index.path("entries").path(step.chart()).path(0).path("digest").asText();
            assertThat(Downloads.sha256(archive)).as(step.chart()).isEqualTo(digest);
            assertThat(archive).hasSameBinaryContentAs(upstream.chartsDir().resolve(step.chart() + "-1.29.6.tgz"));
        }
        InstallPlan.GatewayApiStep gw = plan.steps().stream().filter(InstallPlan.GatewayApiStep.class::isInstance)
                .map(InstallPlan.GatewayApiStep.class::cast).findFirst().orElseThrow();
        Path crds = repository.gatewayApi(gw.version(), gw.channel(), gw.url());
        assertThat(crds).hasSameTextualContentAs(UpstreamRelease.folder().resolve("gateway-api-v1.4.1/standard-install.yaml"));
        assertThat(upstream.requests()).containsExactly(UpstreamRelease.CHARTS_PATH + "/index.yaml",
                UpstreamRelease.CHARTS_PATH + "/base-1.29.6.tgz", UpstreamRelease.CHARTS_PATH + "/istiod-1.29.6.tgz",
                UpstreamRelease.CHARTS_PATH + "/cni-1.29.6.tgz", UpstreamRelease.CHARTS_PATH + "/ztunnel-1.29.6.tgz",
                "/gateway-api-v1.4.1/standard-install.yaml");

        // the next run (a new client on the same cache) asks the network for nothing
        HelmRepository nextRun = new HelmRepository(versions.istio().chartRepository(), tmp.resolve("cache"));
        for (String chart : List.of("base", "istiod", "cni", "ztunnel")) {
            nextRun.chart(chart, "1.29.6");
        }
        nextRun.gatewayApi(gw.version(), gw.channel(), gw.url());
        assertThat(upstream.requests()).hasSize(6);
    }

    @Test
    void anArchiveThatIsNotTheIndexedOneIsRejectedAndNotCached(UpstreamRelease upstream) throws IOException {
        byte[] other = Files.readAllBytes(upstream.chartsDir().resolve("cni-1.29.6.tgz"));
        upstream.serveInstead(UpstreamRelease.CHARTS_PATH + "/istiod-1.29.6.tgz", other);
        HelmRepository repository = new HelmRepository(upstream.chartRepository(), tmp.resolve("cache"));
        assertThatThrownBy(() -> repository.chart("istiod", "1.29.6")).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
            assertThat(e.getMessage()).contains("chart istiod 1.29.6 from " + upstream.chartRepository() + "/istiod-1.29.6.tgz failed verification")
                    .contains("index.yaml says 7cf6440c00644d414a931d89d96b5ed8d1aaaa5978eb50355717db1070a10616");
        });
        assertThat(tmp.resolve("cache/istiod-1.29.6.tgz")).doesNotExist();
    }

    @Test
    void theFolderIsAlsoACompleteOfflineChartsDirectory(UpstreamRelease upstream) {
        ChartsDirectory dir = new ChartsDirectory(upstream.chartsDir());
        InstallPlan plan = IstioPlanner.plan(MeshMode.HYBRID, Cluster.Platform.GENERIC, Optional.empty(), Versions.defaults(), MeshValues.none());
        plan.charts().forEach(step -> assertThat(dir.chart(step.chart(), step.version())).isRegularFile());
        Versions.GatewayApi gw = Versions.defaults().gatewayApi();
        assertThat(dir.gatewayApi(gw.version(), gw.channel(), gw.manifestUrl())).isRegularFile();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void noReleasedChartHasAHookOrACrdsFolderThatTheRenderWouldLeaveOut(UpstreamRelease upstream) {
        for (String chart : List.of("base", "istiod", "cni", "ztunnel", "gateway")) {
            assertThat(UnrenderedChartParts.find(upstream.chartsDir().resolve(chart + "-1.29.6.tgz"))).as(chart).isEmpty();
        }
    }
}
