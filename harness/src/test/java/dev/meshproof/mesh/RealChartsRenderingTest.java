package dev.meshproof.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Versions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The real Istio 1.29.6 charts, fetched through the repository client from 127.0.0.1 and rendered with the values
 * {@link IstioPlanner} sets, for every mode on k3s and on a generic cluster. Each assertion is something a live
 * install depends on; a change to the planner's values (or to the pinned versions) that would break one turns it red.
 * Expected values are written out here, from the charts and the upstream sources cited, not computed by the code under test.
 */
@ExtendWith(UpstreamRelease.class)
class RealChartsRenderingTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** k3s images before v1.32.3 keep CNI plugins in /bin (k3s-io/k3s#11790): the detected dir must win over platform-k3s. */
    private static final String OLD_K3S_BIN_DIR = "/bin";

    @TempDir
    static Path work;
    static HelmRepository repository;
    private static final Map<String, RenderedCharts> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void repository(UpstreamRelease upstream) {
        repository = new HelmRepository(upstream.chartRepository(), work.resolve("cache"));
    }

    static Stream<Arguments> installs() {
        return Stream.of(
                Arguments.of(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.empty()),
                Arguments.of(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty()),
                Arguments.of(MeshMode.SIDECAR, Cluster.Platform.K3S, Optional.of("/var/lib/rancher/k3s/data/cni")),
                Arguments.of(MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty()),
                Arguments.of(MeshMode.HYBRID, Cluster.Platform.K3S, Optional.of(OLD_K3S_BIN_DIR)),
                Arguments.of(MeshMode.HYBRID, Cluster.Platform.GENERIC, Optional.empty()));
    }

    /** Each install is rendered once and shared by the tests below (rendering istiod takes a second or two). */
    private static RenderedCharts render(UpstreamRelease upstream, MeshMode mode, Cluster.Platform platform, Optional<String> binDir) {
        return RENDERED.computeIfAbsent(mode + "/" + platform + "/" + binDir, k -> RenderedCharts.render(repository, upstream.versions(),
                mode, platform, binDir, MeshValues.none(), work.resolve(mode.flag() + "-" + platform)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("installs")
    void objectCountsPerChart(MeshMode mode, Cluster.Platform platform, Optional<String> binDir, UpstreamRelease upstream) {
        RenderedCharts r = render(upstream, mode, platform, binDir);
        assertThat(r.byChart().keySet()).containsExactlyElementsOf(mode.ambient()
                ? List.of("base", "istiod", "cni", "ztunnel") : List.of("base", "istiod"));
        // base: the Istio CRDs as templates (manifests/charts/base/templates/crds.yaml), the reader account and the
        // default-revision validator
        assertThat(r.kinds("base")).containsExactly(entry("CustomResourceDefinition", 14L), entry("ServiceAccount", 1L),
                entry("ValidatingWebhookConfiguration", 1L));
        assertThat(r.kinds("istiod")).containsExactly(entry("ClusterRole", 3L), entry("ClusterRoleBinding", 3L), entry("ConfigMap", 3L),
                entry("Deployment", 1L), entry("HorizontalPodAutoscaler", 1L), entry("MutatingWebhookConfiguration", 1L),
                entry("Role", 1L), entry("RoleBinding", 1L), entry("Service", 1L), entry("ServiceAccount", 1L),
                entry("ValidatingWebhookConfiguration", 1L));
        if (mode.ambient()) {
            assertThat(r.kinds("cni")).containsExactly(entry("ClusterRole", 3L), entry("ClusterRoleBinding", 3L), entry("ConfigMap", 1L),
                    entry("DaemonSet", 1L), entry("ServiceAccount", 1L));
            assertThat(r.kinds("ztunnel")).containsExactly(entry("DaemonSet", 1L), entry("ServiceAccount", 1L));
        }
        assertThat(r.all()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(Manifests.describe(o)).isIn(null, "istio-system"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("installs")
    void everyImageIsFromTheHubAtTheTagWithDistrolessWhereTheAmbientProfileAsks(MeshMode mode, Cluster.Platform platform,
                                                                                Optional<String> binDir, UpstreamRelease upstream) {
        RenderedCharts r = render(upstream, mode, platform, binDir);
        // The ambient profile sets global.variant=distroless (manifests/helm-profiles/ambient.yaml); ztunnel gets it only
        // because the planner passes profile=ambient to its chart too (its own default is variant "":
        // istio/istio@1.29.6:manifests/charts/ztunnel/values.yaml), else a preloaded -distroless image is not the one
        // its pod asks for.
        String suffix = mode.ambient() ? "-distroless" : "";
        List<String> expected = mode.ambient()
                ? List.of("docker.io/istio/pilot:1.29.6" + suffix, "docker.io/istio/install-cni:1.29.6" + suffix, "docker.io/istio/ztunnel:1.29.6" + suffix)
                : List.of("docker.io/istio/pilot:1.29.6");
        assertThat(r.podImages()).containsExactlyElementsOf(expected);

        // Sidecars and waypoints are not in the charts: istiod renders them from the injector templates with
        // inject.ProxyImage = global.hub/global.proxy.image:global.tag, suffixed with the mesh config's
        // defaultConfig.image.imageType (istio/istio@1.29.6:pkg/kube/inject/inject.go ProxyImage,
        // pilot/pkg/config/kube/gateway/deploymentcontroller.go). Those inputs are in two rendered ConfigMaps.
        JsonNode values = json(r.configMap("istio-sidecar-injector").getData().get("values"));
        assertThat(values.at("/global/hub").asText()).isEqualTo("docker.io/istio");
        assertThat(values.at("/global/tag").asText()).isEqualTo("1.29.6");
        assertThat(values.at("/global/proxy/image").asText()).isEqualTo("proxyv2");
        JsonNode mesh = json(r.configMap("istio").getData().get("mesh"));
        assertThat(mesh.at("/defaultConfig/image/imageType").asText("")).isEqualTo(mode.ambient() ? "distroless" : "");
    }

    @Test
    void anotherHubReachesEveryImage(UpstreamRelease upstream) {
        // the planner sets global.hub itself (so --istio-version and the versions file decide, not the chart's stamp):
        // a mirror hub must reach every chart, ztunnel's included
        Versions pinned = upstream.versions();
        Versions mirrored = new Versions(new Versions.Istio(pinned.istio().version(), "mirror.example:5000/istio", pinned.istio().chartRepository()),
                pinned.gatewayApi(), pinned.k3s());
        RenderedCharts r = RenderedCharts.render(repository, mirrored, MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.empty(),
                MeshValues.none(), work.resolve("mirror"));
        assertThat(r.podImages()).hasSize(3).allSatisfy(image -> assertThat(image).startsWith("mirror.example:5000/istio/").endsWith(":1.29.6-distroless"));
        assertThat(json(r.configMap("istio-sidecar-injector").getData().get("values")).at("/global/hub").asText()).isEqualTo("mirror.example:5000/istio");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("installs")
    void istioCniMountsTheHostsCniDirectoriesOfThePlatform(MeshMode mode, Cluster.Platform platform, Optional<String> binDir,
                                                          UpstreamRelease upstream) {
        RenderedCharts r = render(upstream, mode, platform, binDir);
        if (!mode.ambient()) {
            assertThat(r.find(io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "istio-cni-node")).isEmpty();
            return;
        }
        Map<String, String> hostPaths = hostPaths(r.daemonSet("istio-cni-node").getSpec().getTemplate().getSpec().getVolumes());
        if (platform == Cluster.Platform.K3S) {
            // platform-k3s (manifests/helm-profiles/platform-k3s.yaml), with the bin dir read from the node's containerd
            // config winning over the profile's (user values beat profiles: istio/istio@1.29.6:manifests/zzz_profile.yaml;
            // the dir differs by k3s image: k3s-io/k3s#11790)
            assertThat(hostPaths).containsEntry("cni-bin-dir", binDir.orElse("/var/lib/rancher/k3s/data/cni"))
                    .containsEntry("cni-net-dir", "/var/lib/rancher/k3s/agent/etc/cni/net.d");
        } else {
            assertThat(hostPaths).containsEntry("cni-bin-dir", "/opt/cni/bin").containsEntry("cni-net-dir", "/etc/cni/net.d");
        }
        assertThat(hostPaths).containsEntry("cni-netns-dir", "/var/run/netns");
        assertThat(r.configMap("istio-cni-config").getData()).containsEntry("AMBIENT_ENABLED", "true");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("installs")
    void istiodRunsAmbientOnlyWhenTheModeAsksAndCarriesTheWebhooksEnrollmentReliesOn(MeshMode mode, Cluster.Platform platform,
                                                                                   Optional<String> binDir, UpstreamRelease upstream) {
        RenderedCharts r = render(upstream, mode, platform, binDir);
        Deployment istiod = r.deployment("istiod");
        List<EnvVar> env = istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        if (mode.ambient()) {
            // istiod creates GatewayClass istio-waypoint, which the install waits for, only with ambient on
            // (istio/istio@1.29.6:pilot/pkg/config/kube/gateway/deploymentcontroller.go getBuiltinClasses)
            assertThat(env).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("PILOT_ENABLE_AMBIENT");
                assertThat(e.getValue()).isEqualTo("true");
            });
        } else {
            assertThat(env).noneMatch(e -> e.getName().equals("PILOT_ENABLE_AMBIENT"));
        }
        // uninstall waits for pods labelled app=istiod to go before deleting istiod's leftovers
        assertThat(istiod.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "istiod");

        // The injector every sidecar namespace depends on: Enrollment labels istio-injection=enabled, which the
        // namespace webhook selects
        // (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml)
        MutatingWebhookConfiguration injector = r.one(MutatingWebhookConfiguration.class, "istio-sidecar-injector");
        MutatingWebhook byNamespace = injector.getWebhooks().stream()
                .filter(w -> w.getName().equals("namespace.sidecar-injector.istio.io")).findFirst().orElseThrow();
        assertThat(byNamespace.getNamespaceSelector().getMatchExpressions()).extracting(LabelSelectorRequirement::getKey,
                LabelSelectorRequirement::getOperator, LabelSelectorRequirement::getValues).contains(
                org.assertj.core.groups.Tuple.tuple(Enrollment.INJECTION, "In", List.of("enabled")));
        assertThat(injector.getWebhooks()).allSatisfy(w -> {
            assertThat(w.getClientConfig().getService().getName()).isEqualTo("istiod");
            assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo("istio-system");
            assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/inject");
        });
        // Validation: istiod's own and the default-revision one from base. A first install starts them fail-open
        // (istiod flips them to Fail when it serves; the templates' `not .Release.IsUpgrade` branch)
        assertThat(r.all().filter(ValidatingWebhookConfiguration.class::isInstance).map(ValidatingWebhookConfiguration.class::cast))
                .extracting(v -> v.getMetadata().getName(), v -> v.getWebhooks().get(0).getFailurePolicy(),
                        v -> v.getWebhooks().get(0).getClientConfig().getService().getName())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("istiod-default-validator", "Ignore", "istiod"),
                        org.assertj.core.groups.Tuple.tuple("istio-validator-istio-system", "Ignore", "istiod"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("installs")
    void everyObjectThePlanWaitsForIsOneTheChartsRender(MeshMode mode, Cluster.Platform platform, Optional<String> binDir,
                                                       UpstreamRelease upstream) {
        RenderedCharts r = render(upstream, mode, platform, binDir);
        for (InstallPlan.ChartStep step : r.plan().charts()) {
            for (Readiness wait : step.waitsFor()) {
                switch (wait.kind()) {
                    case DEPLOYMENT_AVAILABLE -> assertThat(r.find(Deployment.class, wait.name())).as(wait.describe()).isPresent();
                    case DAEMONSET_READY -> assertThat(r.find(io.fabric8.kubernetes.api.model.apps.DaemonSet.class, wait.name())).as(wait.describe()).isPresent();
                    case WEBHOOK_PRESENT -> assertThat(r.find(MutatingWebhookConfiguration.class, wait.name())).as(wait.describe()).isPresent();
                    case CRDS_ESTABLISHED -> assertThat(r.chart(step.chart())).as(wait.describe())
                            .anyMatch(o -> o.getKind().equals("CustomResourceDefinition"));
                    case GATEWAYCLASS_PRESENT -> assertThat(mode.ambient()).as("istiod creates " + wait.name() + " only with ambient").isTrue();
                }
                if (wait.namespace() != null) {
                    assertThat(wait.namespace()).isEqualTo(step.namespace());
                }
            }
        }
    }

    /**
     * The istiod chart renders {@code meshConfig} into the {@code istio} ConfigMap's {@code mesh} key, which istiod reads
     * as its mesh config (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/configmap.yaml):
     * Meshproof's OpenTelemetry provider and the user's are both there, with the fields Istio's own tracing test sets
     * (tests/integration/telemetry/tracing/otelcollector/tracing_test.go l.255-264), and the chart's own mesh defaults survive.
     */
    @Test
    void theMeshConfigMapHasMeshproofsAndTheUsersExtensionProviders(UpstreamRelease upstream) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(work.resolve("providers.yaml"),
                "istiod: {meshConfig: {extensionProviders: [{name: corp-otel, opentelemetry: {service: otel.obs.svc.cluster.local, port: 4317}}]}}\n");
        RenderedCharts r = RenderedCharts.render(repository, upstream.versions(), MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(),
                MeshValues.load(file), work.resolve("providers"));
        JsonNode mesh = json(r.configMap("istio").getData().get("mesh"));
        JsonNode providers = mesh.get("extensionProviders");
        assertThat(providers).hasSize(2);
        assertThat(providers.get(0).at("/name").asText()).isEqualTo("corp-otel");
        assertThat(providers.get(0).at("/opentelemetry/port").asInt()).isEqualTo(4317);
        assertThat(providers.get(0).at("/opentelemetry/http").isMissingNode()).as("no http: gRPC export").isTrue();
        assertThat(providers.get(1).at("/name").asText()).isEqualTo("meshproof-otel");
        assertThat(providers.get(1).at("/opentelemetry/service").asText()).isEqualTo("otel-collector.meshproof-telemetry.svc.cluster.local");
        assertThat(providers.get(1).at("/opentelemetry/port").asInt()).isEqualTo(8080);
        assertThat(providers.get(1).at("/opentelemetry/http/path").asText()).isEqualTo("/v1/traces");
        assertThat(providers.get(1).at("/opentelemetry/http/timeout").asText()).isEqualTo("5s");
        // the chart's defaults are still there (values.yaml meshConfig.enablePrometheusMerge: true; no accessLogFile set)
        assertThat(mesh.at("/enablePrometheusMerge").asBoolean()).isTrue();
        assertThat(mesh.at("/accessLogFile").asText("")).as("no mesh-wide access log: Telemetry turns it on").isEmpty();
    }

    private static Map<String, String> hostPaths(List<Volume> volumes) {
        Map<String, String> out = new java.util.TreeMap<>();
        volumes.stream().filter(v -> v.getHostPath() != null).forEach(v -> out.put(v.getName(), v.getHostPath().getPath()));
        return out;
    }

    private static JsonNode json(String text) {
        try {
            return YAML.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
