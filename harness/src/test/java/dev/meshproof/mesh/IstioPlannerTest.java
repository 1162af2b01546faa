package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The values each chart gets, as data (the dry-run output is tested in InstallCommandTest). */
class IstioPlannerTest {

    private static InstallPlan.ChartStep chart(InstallPlan plan, String name) {
        return plan.charts().stream().filter(c -> c.chart().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void cniBinDirIsSetUnderCniWhereItBeatsThePlatformProfile() {
        InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.of("/var/lib/rancher/k3s/data/cni"),
                Versions.defaults(), MeshValues.none());
        assertThat(chart(plan, "cni").values()).isEqualTo(Map.of("profile", "ambient",
                "global", Map.of("hub", "docker.io/istio", "tag", "1.29.6", "platform", "k3s"),
                "cni", Map.of("cniBinDir", "/var/lib/rancher/k3s/data/cni")));
        assertThat(chart(plan, "base").values()).isEmpty();
        assertThat(chart(plan, "ztunnel").values()).containsEntry("profile", "ambient");
    }

    @Test
    void genericPlatformSetsNoPlatformAndNoCniDir() {
        InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Versions.defaults(), MeshValues.none());
        assertThat(chart(plan, "cni").values()).isEqualTo(Map.of("profile", "ambient", "global", Map.of("hub", "docker.io/istio", "tag", "1.29.6")));
    }

    @Test
    void userValuesWinAndMergeKeyByKey(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("v.yaml"), "global: {hub: mirror/istio}\nistiod: {profile: preview, pilot: {env: {A: '1'}}}\n");
        InstallPlan plan = IstioPlanner.plan(MeshMode.HYBRID, Cluster.Platform.GENERIC, Optional.empty(),
                Versions.defaults().withIstioVersion("1.29.5"), MeshValues.load(file));
        assertThat(chart(plan, "istiod").values()).isEqualTo(Map.of("profile", "preview", "pilot", Map.of("env", Map.of("A", "1")),
                "global", Map.of("hub", "mirror/istio", "tag", "1.29.5"),
                "meshConfig", Map.of("extensionProviders", List.of(ExtensionProviders.meshproofOtel()))));
        assertThat(chart(plan, "ztunnel").values()).containsEntry("global", Map.of("hub", "mirror/istio", "tag", "1.29.5"));
        assertThat(plan.charts()).extracting(InstallPlan.ChartStep::version).containsOnly("1.29.5");
    }

    @Test
    void sidecarModeHasNoAmbientChartsOrProfile() {
        InstallPlan plan = IstioPlanner.plan(MeshMode.SIDECAR, Cluster.Platform.K3S, Optional.of("/x"), Versions.defaults(), MeshValues.none());
        assertThat(plan.charts()).extracting(InstallPlan.ChartStep::chart).containsExactly("base", "istiod");
        assertThat(chart(plan, "istiod").values()).doesNotContainKey("profile");
        assertThat(chart(plan, "istiod").waitsFor()).extracting(Readiness::describe).containsExactly(
                "Deployment istio-system/istiod Available=True", "MutatingWebhookConfiguration istio-sidecar-injector present");
    }

    @Test
    void overAnExistingInstallTheValidatingChartsAskForFailClosedWebhooksUnderTheUsersValues(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("v.yaml"), "base: {base: {validationFailurePolicy: Ignore}}\n");
        InstallPlan first = IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Versions.defaults(), MeshValues.none());
        InstallPlan again = IstioPlanner.overExistingInstall(first);
        assertThat(chart(again, "istiod").values()).containsEntry("base", Map.of("validationFailurePolicy", "Fail"))
                .containsAllEntriesOf(chart(first, "istiod").values());
        assertThat(chart(again, "base").values()).isEqualTo(Map.of("base", Map.of("validationFailurePolicy", "Fail")));
        assertThat(chart(again, "cni").values()).isEqualTo(chart(first, "cni").values());
        assertThat(again.steps()).hasSameSizeAs(first.steps());
        // a user who asks for Ignore keeps it
        InstallPlan users = IstioPlanner.overExistingInstall(IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(),
                Versions.defaults(), MeshValues.load(file)));
        assertThat(chart(users, "base").values()).isEqualTo(Map.of("base", Map.of("validationFailurePolicy", "Ignore")));
    }

    @Test
    void istiodAlwaysGetsMeshproofsOtelProviderForTheCollectorService() {
        InstallPlan plan = IstioPlanner.plan(MeshMode.SIDECAR, Cluster.Platform.GENERIC, Optional.empty(), Versions.defaults(), MeshValues.none());
        // written out from istio/api mesh/v1alpha1/config.proto (OpenTelemetryTracingProvider, HttpService)
        assertThat(chart(plan, "istiod").values().get("meshConfig")).isEqualTo(Map.of("extensionProviders", List.of(Map.of(
                "name", "meshproof-otel",
                "opentelemetry", Map.of("service", "otel-collector.meshproof-telemetry.svc.cluster.local", "port", 8080,
                        "http", Map.of("path", "/v1/traces", "timeout", "5s"))))));
        assertThat(chart(plan, "base").values()).doesNotContainKey("meshConfig");
    }

    @Test
    void theUsersProvidersAreKeptAndMeshproofsAppendedUnlessTheUserDefinesIt(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("v.yaml"), """
                istiod:
                  meshConfig:
                    accessLogFile: /dev/stdout
                    extensionProviders:
                      - {name: corp-otel, opentelemetry: {service: otel.obs.svc.cluster.local, port: 4317}}
                """);
        InstallPlan plan = IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(), Versions.defaults(), MeshValues.load(file));
        Map<?, ?> meshConfig = (Map<?, ?>) chart(plan, "istiod").values().get("meshConfig");
        assertThat(meshConfig.get("accessLogFile")).isEqualTo("/dev/stdout");
        assertThat(((List<?>) meshConfig.get("extensionProviders")).stream().map(p -> (Object) ((Map<?, ?>) p).get("name")).toList()).containsExactly("corp-otel", "meshproof-otel");

        Path own = Files.writeString(tmp.resolve("own.yaml"),
                "istiod: {meshConfig: {extensionProviders: [{name: meshproof-otel, opentelemetry: {service: c.o.svc.cluster.local, port: 4317}}]}}\n");
        List<?> providers = (List<?>) ((Map<?, ?>) chart(IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.GENERIC, Optional.empty(),
                Versions.defaults(), MeshValues.load(own)), "istiod").values().get("meshConfig")).get("extensionProviders");
        assertThat(providers).hasSize(1);
        assertThat(((Map<?, ?>) ((Map<?, ?>) providers.get(0)).get("opentelemetry")).get("service")).isEqualTo("c.o.svc.cluster.local");
    }
}
