package dev.meshproof.suites;

import dev.meshproof.cli.CliRunner;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.ConformanceReports;
import dev.meshproof.report.Profiles;
import dev.meshproof.suites.ScriptedMesh.Fault;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reports made from a real run directory (the checks run on the scripted mesh: one PASS, one FAIL, one
 * SKIPPED), through {@code meshproof report RUN_DIR}: JUnit XML read by Surefire's own report parser, the
 * ConformanceReport read by the model that reads Gateway API's published reports, and the HTML page.
 */
@EnableKubernetesMockClient(crud = true)
class RunReportsOnScriptedMeshTest {
    KubernetesClient client;

    @TempDir
    Path run;

    @Test
    void reportCommandWritesJunitXmlConformanceReportAndHtmlFromTheRunDirectory() throws Exception {
        ScriptedRun.summarize(run, MeshMode.SIDECAR, ScriptedRun.run(client, run, MeshMode.SIDECAR,
                List.of("l4-deny-by-principal", "mtls-sidecar-forwards-client-cert", "mtls-ztunnel-reports-mutual-tls"), Fault.NO_CLIENT_CERT));

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
