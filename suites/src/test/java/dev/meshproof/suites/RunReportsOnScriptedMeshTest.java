package dev.meshproof.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.meshproof.cli.CliRunner;
import dev.meshproof.cluster.ClusterEnvironment;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.ConformanceReports;
import dev.meshproof.report.Profiles;
import dev.meshproof.suites.ScriptedMesh.Fault;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reports made from a real run directory (the checks run on the scripted mesh: one PASS, one FAIL, one
 * SKIPPED), through {@code meshproof report RUN_DIR}: JUnit XML read by Surefire's own report parser, the
 * ConformanceReport read by the model that reads Gateway API's published reports, Allure's results with the evidence
 * attached, and the HTML page, also as a real headless Chromium renders it.
 */
@EnableKubernetesMockClient(crud = true)
class RunReportsOnScriptedMeshTest {
    static KubernetesClient client;

    /** One run for every test here: l4-deny-by-principal PASS, mtls-sidecar-forwards-client-cert FAIL, mtls-ztunnel-reports-mutual-tls SKIPPED. */
    @TempDir
    static Path run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void runTheChecks() {
        ScriptedRun.summarize(run, MeshMode.SIDECAR, ScriptedRun.run(client, run, MeshMode.SIDECAR,
                List.of("l4-deny-by-principal", "mtls-sidecar-forwards-client-cert", "mtls-ztunnel-reports-mutual-tls"), Fault.NO_CLIENT_CERT));
        // what a run records after the install: the nodes and the mesh's image digests, as the API server reports them
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("k3s-node-1").endMetadata().withNewStatus().withNewNodeInfo()
                .withOsImage("K3s v1.34.6+k3s1").withKernelVersion("6.8.0-1014-azure").withContainerRuntimeVersion("containerd://2.1.5-k3s1")
                .withKubeletVersion("v1.34.6+k3s1").withArchitecture("amd64").endNodeInfo().endStatus().build()).create();
        ClusterEnvironment.record(client, "istio-system", RunDirectory.at(run));
    }

    @Test
    void reportCommandWritesJunitXmlConformanceReportAndHtmlFromTheRunDirectory() throws Exception {
        CliRunner report = CliRunner.run("report", run.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("junit.xml").contains("conformance-report.yaml").contains("report.html");

        // JUnit XML, as Surefire's report plugin reads it
        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(run.resolve("junit.xml").toString());
        Map<String, ReportTestCase> cases = new LinkedHashMap<>();
        suites.forEach(suite -> suite.getTestCases().forEach(c -> cases.put(c.getName(), c))); // Surefire groups them by class
        assertThat(cases).containsOnlyKeys("l4-deny-by-principal[sidecar]", "mtls-sidecar-forwards-client-cert[sidecar]", "mtls-ztunnel-reports-mutual-tls");
        assertThat(cases.get("l4-deny-by-principal[sidecar]").isSuccessful()).isTrue();
        ReportTestCase failed = cases.get("mtls-sidecar-forwards-client-cert[sidecar]");
        assertThat(failed.hasFailure()).isTrue();
        assertThat(failed.getFailureType()).isEqualTo("FAIL");
        assertThat(failed.getFailureMessage()).startsWith("FAIL: ").contains("did not arrive over mutual TLS");
        assertThat(cases.get("mtls-ztunnel-reports-mutual-tls").hasSkipped()).isTrue();
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum()).isEqualTo(1);
        assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfSkipped).sum()).isEqualTo(1);
        // the properties Surefire's model does not keep: verdict and convergence per test case
        Document dom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(run.resolve("junit.xml").toFile());
        Map<String, String> props = properties(testcase(dom, "l4-deny-by-principal[sidecar]"));
        assertThat(props).containsEntry("verdict", "PASS").containsEntry("dataPlane", "sidecar").containsKey("seconds")
                .hasKeySatisfying(new org.assertj.core.api.Condition<>(k -> k.startsWith("convergence."), "a convergence time"));

        // ConformanceReport, in Gateway API's shape
        ConformanceReport cr = ConformanceReports.fromYaml(Files.readString(run.resolve("conformance-report.yaml")));
        assertThat(cr.apiVersion()).isEqualTo("gateway.networking.k8s.io/v1");
        assertThat(cr.kind()).isEqualTo("ConformanceReport");
        assertThat(cr.implementation().version()).isEqualTo("1.29.6");
        assertThat(cr.gatewayAPIVersion()).startsWith("v1.");
        assertThat(cr.profiles()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo(Profiles.SECURITY);
            assertThat(p.core().result()).isEqualTo("failure");
            assertThat(p.core().statistics()).isEqualTo(new ConformanceReport.Statistics(1, 1, 1));
            assertThat(p.core().failedTests()).containsExactly("mtls-sidecar-forwards-client-cert[sidecar]");
            assertThat(p.core().skippedTests()).containsExactly("mtls-ztunnel-reports-mutual-tls");
            assertThat(p.summary()).isEqualTo("Core tests failed with 1 test failures.");
        });

        // the HTML page: every verdict, relative links into the evidence, nothing fetched from anywhere
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("data-check=\"l4-deny-by-principal[sidecar]\"><td>l4-deny-by-principal</td><td>sidecar</td><td>core</td><td class=\"verdict\">PASS")
                .contains("data-check=\"mtls-sidecar-forwards-client-cert[sidecar]\"").contains("class=\"verdict\">FAIL")
                .contains("class=\"verdict\">SKIPPED").contains("1.29.6")
                .contains("<a href=\"checks/l4-deny-by-principal/sidecar/calls.jsonl\">")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain(" src=");
        assertThat(Pattern.compile("href=\"(?!checks/|junit\\.xml|conformance-report\\.yaml)").matcher(html).find()).as("only relative links").isFalse();
        for (String href : Pattern.compile("href=\"(checks/[^\"]+)\"").matcher(html).results().map(m -> m.group(1)).toList()) {
            assertThat(run.resolve(href)).as(href).isRegularFile();
        }
    }

    @Test
    void allureResultsHoldEveryCheckWithItsVerdictReasonsAndEvidenceFiles() throws Exception {
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        Path dir = run.resolve("allure-results");

        Map<String, JsonNode> results = allureResults(dir);
        assertThat(results).containsOnlyKeys("l4-deny-by-principal[sidecar]", "mtls-sidecar-forwards-client-cert[sidecar]", "mtls-ztunnel-reports-mutual-tls");
        assertThat(results.get("l4-deny-by-principal[sidecar]").path("status").asText()).isEqualTo("passed");
        JsonNode failed = results.get("mtls-sidecar-forwards-client-cert[sidecar]");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("statusDetails").path("message").asText()).startsWith("FAIL: ").contains("did not arrive over mutual TLS");
        assertThat(failed.path("statusDetails").path("trace").asText()).contains("did not arrive over mutual TLS");
        JsonNode skipped = results.get("mtls-ztunnel-reports-mutual-tls");
        assertThat(skipped.path("status").asText()).isEqualTo("skipped");
        assertThat(skipped.path("statusDetails").path("message").asText()).startsWith("SKIPPED: ").contains("ambient");
        assertThat(skipped.path("attachments")).as("skipped before a data plane: no evidence").isEmpty();

        for (String name : List.of("l4-deny-by-principal[sidecar]", "mtls-sidecar-forwards-client-cert[sidecar]")) {
            JsonNode r = results.get(name);
            Path evidence = run.resolve("checks").resolve(name.substring(0, name.indexOf('['))).resolve("sidecar");
            Map<String, String> sources = new LinkedHashMap<>();
            r.path("attachments").forEach(a -> sources.put(a.path("name").asText(), a.path("source").asText()));
            // every evidence file, by its path in the evidence directory, the same bytes (none is near the size bound here)
            assertThat(sources.keySet()).as(name).containsAll(List.of("context.json", "calls.jsonl", "steps.jsonl", "verdict.json"))
                    .anyMatch(n -> n.startsWith("manifests/")).containsExactlyInAnyOrderElementsOf(evidenceFiles(evidence));
            for (Map.Entry<String, String> a : sources.entrySet()) {
                Path source = dir.resolve(a.getValue());
                assertThat(source).as(a.getKey()).isRegularFile();
                assertThat(Files.size(source)).as(a.getKey()).isPositive();
                assertThat(Files.readAllBytes(source)).as(a.getKey()).isEqualTo(Files.readAllBytes(evidence.resolve(a.getKey())));
            }
            assertThat(r.path("start").asLong()).isPositive();
            assertThat(r.path("parameters").findValuesAsText("value")).contains("sidecar", "core");
        }
        assertThat(results.values().stream().map(r -> r.path("historyId").asText()).distinct()).as("no two results are retries of one another").hasSize(3);

        // environment.properties from environment.json, read as Allure reads it (java.util.Properties)
        Properties env = new Properties();
        try (var in = Files.newInputStream(dir.resolve("environment.properties"))) {
            env.load(in);
        }
        assertThat(env).containsEntry("istio.version", "1.29.6").containsEntry("mesh.mode", "sidecar")
                .containsEntry("nodes.0.kernelVersion", "6.8.0-1014-azure").containsEntry("nodes.0.containerRuntimeVersion", "containerd://2.1.5-k3s1");
        // nothing else: no result of a JUnit listener next to the evidence-made ones
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .allMatch(f -> f.endsWith("-result.json") || f.contains("-attachment") || f.equals("environment.properties"));
        }
    }

    @Test
    void allureResultsFollowTheVerdictsOnDiskWhenTheReportIsWrittenAgain() throws Exception {
        Path copy = ScriptedRun.copy(run, tmp.resolve("rejudged"));
        Path verdict = copy.resolve("checks/mtls-sidecar-forwards-client-cert/sidecar/verdict.json");
        Files.writeString(verdict, Files.readString(verdict).replace("\"status\" : \"FAIL\"", "\"status\" : \"INCONCLUSIVE\""));
        Files.writeString(copy.resolve("summary.json"), Files.readString(copy.resolve("summary.json"))
                .replace("\"status\" : \"FAIL\"", "\"status\" : \"INCONCLUSIVE\""));

        assertThat(CliRunner.run("report", copy.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("report", copy.toString()).exitCode()).isZero();

        Map<String, JsonNode> results = allureResults(copy.resolve("allure-results"));
        assertThat(results).hasSize(3);
        JsonNode r = results.get("mtls-sidecar-forwards-client-cert[sidecar]");
        assertThat(r.path("status").asText()).as("INCONCLUSIVE is Allure's broken").isEqualTo("broken");
        assertThat(r.path("statusDetails").path("message").asText()).startsWith("INCONCLUSIVE: ");
    }

    /** The page in a real browser: what it shows, and every request it makes (none but its own). */
    @Test
    void thePageRendersEveryVerdictInHeadlessChromiumAndRequestsNothing() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "no chromium on PATH (Debian: apt-get install chromium): report.html not rendered in a browser");
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        String html = Files.readString(run.resolve("report.html"));
        String csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
        assertThat(html).contains(csp);
        String fetching = "<img src=\"checks/leak.png\"><link rel=\"stylesheet\" href=\"/leak.css\">";
        // one origin per page, so a request the browser makes late (a favicon after the load event) is still the page's
        HeadlessChromium browser = new HeadlessChromium(chromium.get(), tmp.resolve("chromium-profile"));
        try (browser; RecordingServer site = new RecordingServer(run, Map.of());
             RecordingServer guardedSite = new RecordingServer(run, Map.of("/guarded.html", html.replace("</body>", fetching + "</body>")));
             RecordingServer leakySite = new RecordingServer(run, Map.of("/leaky.html", html.replace(csp, "").replace("</body>", fetching + "</body>")))) {
            HeadlessChromium.Load page = browser.load(site.url("/report.html"), VISIBLE_VERDICTS);

            Map<String, String> shown = new LinkedHashMap<>();
            for (JsonNode row : new ObjectMapper().readTree(page.evaluated().asText())) {
                assertThat(row.path("visible").asBoolean()).as(row.path("check").asText() + " verdict visible").isTrue();
                shown.put(row.path("check").asText(), row.path("verdict").asText());
            }
            assertThat(shown).containsExactlyInAnyOrderEntriesOf(Map.of("l4-deny-by-principal[sidecar]", "PASS",
                    "mtls-sidecar-forwards-client-cert[sidecar]", "FAIL", "mtls-ztunnel-reports-mutual-tls", "SKIPPED"));
            assertThat(page.requests()).as("requests the browser saw").containsExactly(site.url("/report.html"));

            // the page's Content-Security-Policy keeps an image and a stylesheet added to it from leaving...
            HeadlessChromium.Load guarded = browser.load(guardedSite.url("/guarded.html"), "document.title");
            assertThat(guarded.sent()).containsExactly(guardedSite.url("/guarded.html"));
            // ...and without it the same detectors see both requests
            HeadlessChromium.Load leaky = browser.load(leakySite.url("/leaky.html"), "document.title");
            assertThat(leaky.sent()).contains(leakySite.url("/checks/leak.png"), leakySite.url("/leak.css"));
            assertThat(leakySite.requests()).contains("/leaky.html", "/checks/leak.png", "/leak.css");

            // what each server saw until now, late requests included
            assertThat(site.requests()).as("requests the server saw").containsExactly("/report.html");
            assertThat(guardedSite.requests()).containsExactly("/guarded.html");
        }
        assertThat(browser.leftNothingRunning()).as("chromium and its child processes ended").isTrue();
    }

    /** Per check row: its name, the verdict cell's rendered text, and whether that cell is visible (laid out, not hidden). */
    private static final String VISIBLE_VERDICTS = "JSON.stringify([...document.querySelectorAll('#checks tr[data-check]')].map(tr => {"
            + " const v = tr.querySelector('td.verdict'); const box = v.getBoundingClientRect();"
            + " return {check: tr.dataset.check, verdict: v.innerText,"
            + " visible: v.checkVisibility({opacityProperty: true, visibilityProperty: true}) && box.width > 0 && box.height > 0}; }))";

    private static Map<String, JsonNode> allureResults(Path dir) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                assertThat(out.put(r.path("name").asText(), r)).as("one result per check and data plane").isNull();
            }
        }
        return out;
    }

    private static List<String> evidenceFiles(Path evidence) throws IOException {
        try (Stream<Path> walk = Files.walk(evidence)) {
            return walk.filter(Files::isRegularFile).map(f -> evidence.relativize(f).toString())
                    .filter(f -> !f.startsWith("diagnostics/") || f.equals("diagnostics/index.txt")).toList();
        }
    }

    /** Serves the run directory (and a few pages of the test's own) on loopback and records every path asked for. */
    private static final class RecordingServer implements AutoCloseable {
        private final HttpServer server;
        private final List<String> requests = new CopyOnWriteArrayList<>();

        RecordingServer(Path root, Map<String, String> pages) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                requests.add(path);
                Path file = root.resolve(path.substring(1)).normalize();
                byte[] body = pages.containsKey(path) ? pages.get(path).getBytes(StandardCharsets.UTF_8)
                        : file.startsWith(root) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
                exchange.getResponseHeaders().add("Content-Type", path.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<String> requests() {
            return requests;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Element testcase(Document dom, String name) {
        NodeList list = dom.getElementsByTagName("testcase");
        for (int i = 0; i < list.getLength(); i++) {
            if (((Element) list.item(i)).getAttribute("name").equals(name)) {
                return (Element) list.item(i);
            }
        }
        throw new AssertionError("no testcase " + name);
    }

    private static Map<String, String> properties(Element testcase) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList list = testcase.getElementsByTagName("property");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            out.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return out;
    }
}
