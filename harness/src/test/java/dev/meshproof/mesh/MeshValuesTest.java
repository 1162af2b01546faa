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
}
