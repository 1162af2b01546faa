package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * allure-results/ from a run directory: Allure's status for each verdict, attachments bounded (a long proxy log keeps
 * its first and last lines and names the whole file), environment.json as environment.properties that
 * java.util.Properties (how Allure reads it) gives back unchanged. The scripted-mesh run is in the suites module
 * (RunReportsOnScriptedMeshTest).
 */
class AllureResultsTest {
    /** ztunnel's access log as istio.io shows it (upstream/README.md): what a check's logs/ holds. */
    private static final Path ZTUNNEL_LOG = Path.of("src/test/resources/upstream/ztunnel-access-log-current-verify-mtls.txt");

    @TempDir
    Path run;

    @Test
    void everyVerdictIsItsAllureStatusWithTheReasons() throws IOException {
        List<RunResults.Result> results = List.of(
                result("l4-deny-by-port", Verdict.pass("refused under the policy")),
                result("l4-allow-nothing", Verdict.fail("client admitted under allow-nothing (calls.jsonl seq 7)")),
                result("mtls-strict-refuses-plaintext", Verdict.inconclusive("no call observed in step 'refused'")),
                result("mtls-ztunnel-reports-mutual-tls", new Verdict(Verdict.Status.SKIPPED, List.of("requires the ambient data plane", "installed: sidecar"))));

        AllureResults.write(new RunResults(run, results, "1.29.6", "ambient", "k3s", "2026-01-02T03:04:05Z", null));

        Map<String, JsonNode> byName = read(run.resolve(AllureResults.DIRECTORY));
        assertThat(byName).hasSize(4);
        assertThat(byName.get("l4-deny-by-port[ambient]").path("status").asText()).isEqualTo("passed");
        assertThat(byName.get("l4-allow-nothing[ambient]").path("status").asText()).isEqualTo("failed");
        assertThat(byName.get("mtls-strict-refuses-plaintext[ambient]").path("status").asText()).isEqualTo("broken");
        JsonNode skipped = byName.get("mtls-ztunnel-reports-mutual-tls[ambient]");
        assertThat(skipped.path("status").asText()).isEqualTo("skipped");
        assertThat(skipped.path("statusDetails").path("message").asText()).isEqualTo("SKIPPED: requires the ambient data plane; installed: sidecar");
        assertThat(skipped.path("statusDetails").path("trace").asText()).isEqualTo("requires the ambient data plane\ninstalled: sidecar");
        assertThat(byName.get("l4-allow-nothing[ambient]").path("labels").findValuesAsText("value")).contains("MESHPROOF-SECURITY", "l4-allow-nothing", "ambient");
        assertThat(byName.get("l4-allow-nothing[ambient]").path("stage").asText()).isEqualTo("finished");
    }

    @Test
    void aLongLogIsAttachedAsItsFirstAndLastLinesNamingTheWholeFileAndDiagnosticsByTheirIndex() throws IOException {
        Path evidence = Files.createDirectories(run.resolve("checks/l4-deny-by-port/ambient"));
        String sample = Files.readString(ZTUNNEL_LOG);
        StringBuilder log = new StringBuilder("first line of the window\n");
        while (log.length() < 3 * AllureResults.MAX_ATTACHMENT_BYTES) {
            log.append(sample);
        }
        log.append("last line of the window\n");
        Files.createDirectories(evidence.resolve("logs"));
        Files.writeString(evidence.resolve("logs/istio-system_ztunnel-x7k2p.log"), log);
        Files.writeString(evidence.resolve("verdict.json"), "{}\n");
        Files.createDirectories(evidence.resolve("diagnostics/istio-system"));
        Files.writeString(evidence.resolve("diagnostics/index.txt"), "collected istio-system/pods.yaml (10 of 10 bytes)\n");
        Files.writeString(evidence.resolve("diagnostics/istio-system/pods.yaml"), "items: []\n");
        List<String> files = List.of("checks/l4-deny-by-port/ambient/diagnostics/index.txt", "checks/l4-deny-by-port/ambient/diagnostics/istio-system/pods.yaml",
                "checks/l4-deny-by-port/ambient/logs/istio-system_ztunnel-x7k2p.log", "checks/l4-deny-by-port/ambient/verdict.json");
        RunResults.Result r = new RunResults.Result(new CheckResult("l4-deny-by-port", "ambient", "core", "p", Verdict.pass("ok"), 1), Map.of(), files);

        Path dir = AllureResults.write(new RunResults(run, List.of(r), "1.29.6", "ambient", null, null, null));

        JsonNode result = read(dir).get("l4-deny-by-port[ambient]");
        Map<String, Path> attached = new LinkedHashMap<>();
        result.path("attachments").forEach(a -> attached.put(a.path("name").asText(), dir.resolve(a.path("source").asText())));
        assertThat(attached).containsOnlyKeys("diagnostics/index.txt", "logs/istio-system_ztunnel-x7k2p.log", "verdict.json");
        String excerpt = Files.readString(attached.get("logs/istio-system_ztunnel-x7k2p.log"));
        assertThat(excerpt.length()).isLessThanOrEqualTo(AllureResults.MAX_ATTACHMENT_BYTES + 200);
        assertThat(excerpt).startsWith("first line of the window\n").endsWith("last line of the window\n")
                .contains("bytes left out here; the whole file is checks/l4-deny-by-port/ambient/logs/istio-system_ztunnel-x7k2p.log in the run directory]\n");
        // cut at line ends: every line of the excerpt but the marker is a whole line of the log
        String whole = log.toString();
        excerpt.lines().filter(l -> !l.startsWith("[meshproof:")).forEach(l -> assertThat(whole).contains(l + "\n"));
        assertThat(Files.readString(attached.get("verdict.json"))).isEqualTo("{}\n");
    }

    @Test
    void environmentJsonBecomesPropertiesThatReadBackUnchanged() throws IOException {
        Files.writeString(run.resolve("environment.json"), """
                {
                  "kubernetesVersion" : "v1.34.6+k3s1",
                  "nodes" : [ {
                    "name" : "k3s-node-1",
                    "osImage" : "K3s v1.34.6+k3s1: Ünïcode = fine # really!",
                    "kernelVersion" : "6.8.0-1014-azure"
                  } ],
                  "meshImages" : [ {
                    "pod" : "istio-system/ztunnel-x7k2p",
                    "imageID" : "docker.io/istio/ztunnel@sha256:0f2b0c6d"
                  } ],
                  "errors" : [ "server version: no /version\\nsecond line" ]
                }
                """);

        Path dir = AllureResults.write(new RunResults(run, List.of(), "1.29.6", "ambient", "k3s (rancher/k3s:v1.34.6-k3s1)", null, null));

        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(AllureResults.ENVIRONMENT))) {
            p.load(in);
        }
        assertThat(p).containsEntry("istio.version", "1.29.6").containsEntry("mesh.mode", "ambient").containsEntry("cluster", "k3s (rancher/k3s:v1.34.6-k3s1)")
                .containsEntry("kubernetesVersion", "v1.34.6+k3s1").containsEntry("nodes.0.kernelVersion", "6.8.0-1014-azure")
                .containsEntry("nodes.0.osImage", "K3s v1.34.6+k3s1: Ünïcode = fine # really!")
                .containsEntry("meshImages.0.imageID", "docker.io/istio/ztunnel@sha256:0f2b0c6d")
                .containsEntry("errors.0", "server version: no /version\nsecond line");
        assertThat(Files.readString(dir.resolve(AllureResults.ENVIRONMENT), StandardCharsets.ISO_8859_1)).matches("\\p{ASCII}*");
    }

    private static RunResults.Result result(String check, Verdict verdict) {
        return new RunResults.Result(new CheckResult(check, "ambient", "core", "what it proves", verdict, 1.5), Map.of(), List.of());
    }

    private static Map<String, JsonNode> read(Path dir) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                out.put(r.path("name").asText(), r);
            }
        }
        return out;
    }
}
