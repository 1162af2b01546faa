package dev.meshproof.mesh;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshValuesTest {
    @TempDir
    Path tmp;

    private Path file(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("values.yaml"), yaml);
    }

    @Test
    void globalSectionGoesToEveryChartAndChartSectionWins() throws IOException {
        MeshValues v = MeshValues.load(file("""
                global: {logging: {level: "default:debug"}, hub: my.registry/istio}
                ztunnel: {logLevel: debug, global: {hub: other/istio}}
                """));
        assertThat(v.forChart("istiod")).isEqualTo(Map.of("global", Map.of("logging", Map.of("level", "default:debug"), "hub", "my.registry/istio")));
        assertThat(v.forChart("ztunnel")).isEqualTo(Map.of("logLevel", "debug",
                "global", Map.of("logging", Map.of("level", "default:debug"), "hub", "other/istio")));
    }

    @Test
    void badYamlIsUsageErrorNamingFileAndLine() throws IOException {
        Path f = file("istiod:\n  pilot: {env: [unclosed\n");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).startsWith("values file " + f + " is not valid YAML at line ");
        });
    }

    @Test
    void unknownSectionIsNamed() throws IOException {
        Path f = file("istio-cni: {ambient: {ipv6: false}}\n");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("values file " + f + ": unknown section 'istio-cni'");
            assertThat(e.hint()).contains("global, base, istiod, cni, ztunnel");
        });
    }

    @Test
    void sectionThatIsNotAMappingIsNamed() throws IOException {
        Path f = file("cni: [a, b]\n");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).isEqualTo("values file " + f + ": section 'cni' must be a mapping, not a list"));
    }

    @Test
    void topLevelListIsRejected() throws IOException {
        Path f = file("- istiod\n");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).isEqualTo("values file " + f + " must be a mapping of chart sections, not a list"));
    }

    @Test
    void missingFileIsNamed() {
        Path f = tmp.resolve("nope.yaml");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e ->
                assertThat(e.getMessage()).isEqualTo("values file not found: " + f));
    }

    /** Each malformed OpenTelemetry provider is one line naming the file, the entry and the field, exit 2. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{opentelemetry: {service: c.o.svc.cluster.local, port: 4317}}|meshConfig.extensionProviders[0] needs a name (letters, digits, '-', '_', '.'), got none",
            "{name: a, opentelemetry: {port: 4317}}|meshConfig.extensionProviders[0] (a).opentelemetry.service is missing (the collector's [Namespace/]Hostname)",
            "{name: a, opentelemetry: {service: c.o}}|meshConfig.extensionProviders[0] (a).opentelemetry.port must be a number from 1 to 65535, got none",
            "{name: a, opentelemetry: {service: c.o, port: 70000}}|meshConfig.extensionProviders[0] (a).opentelemetry.port must be a number from 1 to 65535, got '70000'",
            "{name: a, opentelemetry: {service: c.o, port: '4318'}}|meshConfig.extensionProviders[0] (a).opentelemetry.port must be a number from 1 to 65535, got '4318'",
            "{name: a, opentelemetry: {service: c.o, port: 4318, http: {timeout: 10s}}}|meshConfig.extensionProviders[0] (a).opentelemetry.http.path is missing (required with http, e.g. /v1/traces)",
            "{name: a, opentelemetry: {service: c.o, port: 4318, http: {path: v1/traces, timeout: 500ms}}}|meshConfig.extensionProviders[0] (a).opentelemetry.http.timeout must be a duration in seconds like 10s or 0.5s, got '500ms'",
    })
    void malformedOpenTelemetryProviderIsOneLineNamingTheField(String provider, String message) throws IOException {
        Path f = file("istiod: {meshConfig: {extensionProviders: [" + provider + "]}}\n");
        assertThatThrownBy(() -> MeshValues.load(f)).isInstanceOfSatisfying(MeshproofException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).isEqualTo("values file " + f + ", section istiod: " + message);
            assertThat(e.getMessage()).doesNotContain("\n");
        });
    }

    @Test
    void duplicateProviderNamesAndANonListAreRefused() throws IOException {
        Path twice = file("istiod: {meshConfig: {extensionProviders: [{name: a, envoyFileAccessLog: {path: /dev/stdout}}, {name: a, prometheus: {}}]}}\n");
        assertThatThrownBy(() -> MeshValues.load(twice)).hasMessageEndingWith("meshConfig.extensionProviders[1]: provider name 'a' is used twice");
        Path map = file("istiod: {meshConfig: {extensionProviders: {name: a}}}\n");
        assertThatThrownBy(() -> MeshValues.load(map)).hasMessageEndingWith("meshConfig.extensionProviders must be a list of providers");
    }

    @Test
    void wellFormedProvidersAreAccepted() throws IOException {
        // Istio's own test provider (istio/istio@1.29.6:tests/integration/telemetry/tracing/otelcollector/tracing_test.go l.255-264)
        MeshValues v = MeshValues.load(file("""
                istiod:
                  meshConfig:
                    extensionProviders:
                    - name: test-otel-http
                      opentelemetry:
                        service: opentelemetry-collector.istio-system.svc.cluster.local
                        port: 4318
                        http:
                          path: "v1/traces"
                          timeout: 10s
                          headers:
                            - name: "some-header"
                              value: "some-value"
                    - name: grpc-otel
                      opentelemetry: {service: istio-system/otel.example.com, port: 4317}
                """));
        assertThat(v.forChart("istiod")).containsKey("meshConfig");
    }
}
