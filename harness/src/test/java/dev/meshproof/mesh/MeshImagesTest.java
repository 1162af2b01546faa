package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The images an install needs, read off the rendered charts: the real 1.29.6 charts per mode, and istiod's proxy rules. */
@ExtendWith(UpstreamRelease.class)
class MeshImagesTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(MeshMode.class)
    void theRealChartsNeedTheirWorkloadsImagesAndTheProxyOfWaypointsOrSidecars(MeshMode mode, UpstreamRelease upstream) {
        RenderedCharts rendered = RenderedCharts.render(new ChartsDirectory(upstream.chartsDir()), upstream.versions(), mode,
                Cluster.Platform.K3S, Optional.empty(), MeshValues.none(), work);
        List<String> images = MeshImages.of(mode, rendered.byChart());

        String suffix = mode.ambient() ? "-distroless" : "";
        assertThat(images).containsExactlyElementsOf(mode.ambient()
                ? List.of("docker.io/istio/pilot:1.29.6" + suffix, "docker.io/istio/install-cni:1.29.6" + suffix,
                "docker.io/istio/ztunnel:1.29.6" + suffix, "docker.io/istio/proxyv2:1.29.6" + suffix)
                : List.of("docker.io/istio/pilot:1.29.6", "docker.io/istio/proxyv2:1.29.6"));
        // checked against the rendered objects: every image a rendered workload names is listed, and the one image no
        // chart names is the proxy istiod puts into waypoints and sidecars
        assertThat(images).containsAll(rendered.podImages());
        List<String> injected = new ArrayList<>(images);
        injected.removeAll(rendered.podImages());
        assertThat(injected).containsExactly("docker.io/istio/proxyv2:1.29.6" + suffix);
        // the same through the plan, as `meshproof images` does it
        InstallPlan plan = IstioPlanner.plan(mode, Cluster.Platform.K3S, Optional.empty(), upstream.versions(), MeshValues.none());
        assertThat(MeshImages.of(plan, new ChartsDirectory(upstream.chartsDir()), new ChartRenderer(work.resolve("p")), null)).isEqualTo(images);
    }

    private static List<HasMetadata> istiod(String values, String mesh, String waypointTemplate) {
        String config = "templates:\n  waypoint: |\n    " + waypointTemplate + "\n  sidecar: |\n    image: \"{{ .ProxyImage }}\"\n";
        return List.of(new ConfigMapBuilder().withNewMetadata().withName("istio-sidecar-injector").endMetadata()
                        .withData(Map.of("values", values, "config", config)).build(),
                new ConfigMapBuilder().withNewMetadata().withName("istio").endMetadata().withData(Map.of("mesh", mesh)).build());
    }

    private static final String PROXY_IMAGE = "image: \"{{ .ProxyImage }}\"";

    @Test
    void theProxyImageFollowsIstiodsRules() {
        // the mesh config's image type wins over global.variant, and replaces a type already on the tag
        assertThat(InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2-debug\", \"variant\": \"distroless\", \"proxy\": {\"image\": \"proxyv2\"}}}",
                "defaultConfig: {image: {imageType: distroless}}", PROXY_IMAGE)).waypoint()).isEqualTo("h/proxyv2:1.2-distroless");
        // an image block without a type means none, even with global.variant set (inject.go: image != nil)
        assertThat(InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2\", \"variant\": \"distroless\", \"proxy\": {}}}",
                "defaultConfig: {image: {}}", PROXY_IMAGE)).waypoint()).isEqualTo("h/proxyv2:1.2");
        // no image block: global.variant; "default" strips the suffix
        assertThat(InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2\", \"variant\": \"distroless\", \"proxy\": {}}}",
                "trustDomain: cluster.local", PROXY_IMAGE)).waypoint()).isEqualTo("h/proxyv2:1.2-distroless");
        assertThat(InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2-distroless\", \"variant\": \"default\", \"proxy\": {}}}",
                "{}", PROXY_IMAGE)).waypoint()).isEqualTo("h/proxyv2:1.2");
        // a full reference in global.proxy.image is used as it is; istio-init follows global.proxy_init.image
        InjectedProxyImages full = InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2\", \"proxy\": {\"image\": \"mirror/proxy:x\"},"
                + " \"proxy_init\": {\"image\": \"mirror/init:y\"}}}", "{}", PROXY_IMAGE));
        assertThat(full.waypoint()).isEqualTo("mirror/proxy:x");
        assertThat(full.sidecar()).containsExactly("mirror/init:y", "mirror/proxy:x");
        InjectedProxyImages initOnly = InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1.2\", \"proxy\": {\"image\": \"proxyv2\"},"
                + " \"proxy_init\": {\"image\": \"mirror/init:y\"}}}", "{}", PROXY_IMAGE));
        assertThat(initOnly.sidecar()).containsExactly("mirror/init:y", "h/proxyv2:1.2");
    }

    @Test
    void aWaypointTemplateThatDoesNotUseTheProxyImageIsUsageError() {
        InjectedProxyImages images = InjectedProxyImages.from(istiod("{\"global\": {\"hub\": \"h\", \"tag\": \"1\"}}", "{}", "image: other/thing:1"));
        assertThatThrownBy(images::waypoint).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).startsWith("the istiod chart's injector template 'waypoint' does not take its image from {{ .ProxyImage }}");
        });
        assertThatThrownBy(() -> InjectedProxyImages.from(List.of())).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).startsWith("the istiod chart rendered no ConfigMap istio-sidecar-injector"));
    }
}
