package dev.meshproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * .github/workflows/nightly.yml: each cold cluster gets its own job and time limit (three clusters in one 90-minute job
 * — the live tier ~30 min, run ~6, the seed benchmark ~35-40 — left the night to whichever ran slow), and each keeps
 * its evidence; the main run also keeps its bundle and its HTML page, also after a failure.
 */
class NightlyWorkflowTest {
    /** The commands that start a cluster of their own. */
    private static final Map<String, String> CLUSTER_STARTS = Map.of(
            "live tier", "./mvnw -B verify -Pe2e",
            "run", "./meshproof run ",
            "benchmark", "./meshproof bench --profile");
    private static final Path ROOT = Path.of(System.getProperty("meshproof.repo.root", ".."));

    @Test
    void everyClusterStartingStepHasAJobOfItsOwnWithItsOwnTimeLimitAndEvidence() throws IOException {
        JsonNode jobs = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve(".github/workflows/nightly.yml").toFile()).path("jobs");
        Set<String> started = new HashSet<>();
        Set<String> artifacts = new HashSet<>();
        Map<String, List<String>> uploads = new java.util.HashMap<>();
        for (var it = jobs.fields(); it.hasNext(); ) {
            var job = it.next();
            List<String> runs = new ArrayList<>();
            job.getValue().path("steps").forEach(s -> runs.add(s.path("run").asText("")));
            List<String> clusters = CLUSTER_STARTS.entrySet().stream()
                    .filter(c -> runs.stream().anyMatch(r -> r.contains(c.getValue()))).map(Map.Entry::getKey).toList();
            assertThat(clusters).as("cold clusters in job " + job.getKey()).hasSize(1);
            started.addAll(clusters);
            assertThat(job.getValue().path("timeout-minutes").asInt()).as(job.getKey()).isBetween(1, 60);
            assertThat(runs).as(job.getKey() + " prepares the host for ztunnel and istio-cni").contains("ci/host-prerequisites.sh");
            job.getValue().path("steps").forEach(s -> {
                if (s.path("uses").asText().startsWith("actions/upload-artifact")) {
                    assertThat(s.path("if").asText()).isEqualTo("always()");
                    assertThat(artifacts.add(s.path("with").path("name").asText())).as("artifact names are unique").isTrue();
                    uploads.computeIfAbsent(job.getKey(), k -> new ArrayList<>()).add(s.path("with").path("path").asText().trim());
                }
            });
            assertThat(uploads.get(job.getKey())).as(job.getKey() + " keeps its evidence").isNotEmpty();
        }
        assertThat(started).containsExactlyInAnyOrderElementsOf(CLUSTER_STARTS.keySet());
        // the main run takes Istio's images from Docker, so a registry's limit on the node's own pulls cannot fail it
        assertThat(jobs.path("run").path("steps").findValuesAsText("run")).anyMatch(r -> r.contains("./meshproof run --preload docker"))
                .anyMatch(r -> r.startsWith("./meshproof images"));
        // the main run: its directory, the bundle made from it (also after a failed run) and the HTML page
        List<String> runSteps = jobs.path("run").path("steps").findValuesAsText("run");
        String out = runSteps.stream().filter(r -> r.startsWith("./meshproof run ")).findFirst().orElseThrow().replaceAll(".*--out (\\S+).*", "$1");
        assertThat(runSteps).contains("./meshproof bundle " + out + " --out " + out + ".tar.gz");
        jobs.path("run").path("steps").forEach(s -> {
            if (s.path("run").asText().startsWith("./meshproof bundle")) {
                assertThat(s.path("if").asText()).startsWith("always()");
            }
        });
        assertThat(uploads.get("run")).containsExactlyInAnyOrder(out + "/", out + ".tar.gz", out + "/report.html");
        assertThat(ROOT.resolve("ci/host-prerequisites.sh")).isExecutable();
        assertThat(Files.readString(ROOT.resolve("ci/host-prerequisites.sh"))).contains("xt_REDIRECT", "ip_set_hash_ip", "max_user_watches");
    }
}
