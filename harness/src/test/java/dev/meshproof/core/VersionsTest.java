package dev.meshproof.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionsTest {

    @Test
    void builtInPinsAreTheSourcedSet() {
        Versions v = Versions.defaults();
        assertThat(v.istio().version()).isEqualTo("1.29.6");
        assertThat(v.gatewayApi().manifestUrl())
                .isEqualTo("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml");
        assertThat(v.k3s().image()).startsWith("rancher/k3s:v1.34.");
    }

    @Test
    void overridesReplaceOneField() {
        Versions v = Versions.defaults().withIstioVersion("1.30.3").withK3sImage("rancher/k3s:v1.33.5-k3s1");
        assertThat(v.istio().version()).isEqualTo("1.30.3");
        assertThat(v.istio().hub()).isEqualTo("docker.io/istio");
        assertThat(v.k3s().image()).isEqualTo("rancher/k3s:v1.33.5-k3s1");
    }

    @Test
    void fileWithMissingFieldNamesFileAndField(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("v.yaml"), """
                istio: {version: "1.29.6", hub: docker.io/istio, chartRepository: https://example.invalid/charts}
                gatewayApi: {version: v1.4.1, channel: standard, url: "https://x/{version}"}
                k3s: {}
                """);
        assertThatThrownBy(() -> Versions.load(f))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("versions file " + f + ": field k3s.image is missing");
                });
    }

    @Test
    void unknownFieldIsRejectedNamingIt(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("v.yaml"), "istio: {versoin: '1.29.6'}\n");
        assertThatThrownBy(() -> Versions.load(f))
                .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.getMessage()).contains(f.toString()).contains("versoin"));
    }
}
