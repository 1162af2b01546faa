package dev.meshproof.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import dev.meshproof.agent.AgentVersion;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent image built to a tar, offline, and read back: entrypoint, ports, non-root user, labels, and exactly
 * the agent's jars in its layers. The base is a tiny tar built here (no registry is reachable), so the image only
 * proves its configuration and contents; that it runs is the Docker test's job.
 */
class AgentImageTarTest {
    private static final Path CACHE = Paths.get("target", "jib-cache-test");
    @TempDir
    static Path dir;
    private static ImageTar image;

    @BeforeAll
    static void build() throws Exception {
        Path base = dir.resolve("base.tar");
        Jib.fromScratch().setEnvironment(Map.of("PATH", "/usr/bin:/bin"))
                .containerize(Containerizer.to(TarImage.at(base).named("meshproof/test-base:1")).setOfflineMode(true)
                        .setBaseImageLayersCache(CACHE.resolve("base")).setApplicationLayersCache(CACHE.resolve("app")));
        Path tar = dir.resolve("agent.tar");
        new AgentImage().base("tar://" + base).cacheDirectory(CACHE).toTar(tar, AgentImage.defaultReference());
        image = ImageTar.read(tar);
    }

    @Test
    void isTaggedWithTheProjectVersion() {
        assertThat(AgentImage.defaultReference()).isEqualTo("meshproof/agent:" + AgentVersion.VERSION);
        assertThat(image.manifest().get("RepoTags").get(0).asText()).isEqualTo("meshproof/agent:" + AgentVersion.VERSION);
    }

    @Test
    void entrypointRunsAgentMainWithJava() {
        List<String> entrypoint = strings(image.containerConfig().get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp").last().isEqualTo("dev.meshproof.agent.AgentMain");
        assertThat(entrypoint.get(entrypoint.indexOf("-cp") + 1)).contains("/app/libs/*");
    }

    @Test
    void exposesTheHttpAndTcpPorts() {
        List<String> ports = new ArrayList<>();
        image.containerConfig().get("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "9000/tcp");
    }

    @Test
    void runsAsNonRootUser() {
        assertThat(image.containerConfig().get("User").asText()).isEqualTo("65532:65532");
    }

    @Test
    void carriesItsLabels() {
        JsonNode labels = image.containerConfig().get("Labels");
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo("meshproof-agent");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(AgentVersion.VERSION);
        assertThat(labels.get("dev.meshproof.agent.http-port").asText()).isEqualTo("8080");
        assertThat(labels.get("dev.meshproof.agent.tcp-port").asText()).isEqualTo("9000");
    }

    @Test
    void containsTheAgentAndItsJarsButNothingOfTheHarness() {
        assertThat(image.files()).contains("app/libs/netty-codec-http-4.2.18.Final.jar", "app/libs/picocli-4.7.7.jar");
        assertThat(image.files()).anyMatch(f -> f.equals("app/classes/dev/meshproof/agent/AgentMain.class")
                || f.matches("app/libs/meshproof-agent-.*\\.jar"));
        assertThat(image.files()).noneMatch(f -> f.contains("kubernetes-client") || f.contains("testcontainers")
                || f.contains("meshproof-harness") || f.contains("jib-core"));
        assertThat(image.files().stream().filter(f -> f.startsWith("app/libs/") && f.endsWith(".jar")).count())
                .isEqualTo(AgentImage.agentDependencyList().size() + (image.files().contains("app/classes/dev/meshproof/agent/AgentMain.class") ? 0 : 1));
    }

    @Test
    void missingBaseTarIsUsageErrorNamingIt() {
        assertThatThrownBy(() -> new AgentImage().base("tar:///nonexistent/base.tar").cacheDirectory(CACHE)
                .toTar(dir.resolve("never.tar"), "meshproof/agent:x"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("base image tar /nonexistent/base.tar does not exist");
                });
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
