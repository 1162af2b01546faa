package dev.meshproof.cli;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.ConformanceReports;
import dev.meshproof.report.RunReport;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code meshproof report RUN_DIR} with {@code --implementation} (the vendor's implementation in the ConformanceReport,
 * bad input exit 2) and {@code --allure} (Allure's HTML report by the {@code allure} command on PATH, exit 3 with one
 * error line when it is not there): a fake {@code allure} that records its arguments, one that fails, and the CLI as
 * its own process with a PATH that has none.
 */
class ReportCommandTest {
    private static final String ACME = "acme/acme-mesh,2.3.1,https://acme.example/mesh,@acme/mesh-team,mesh-support@acme.example";

    @TempDir
    Path tmp;

    Path run;

    @BeforeEach
    void aRunWithOneCheck() {
        run = tmp.resolve("run");
        RunReport report = new RunReport(RunDirectory.at(run));
        report.mesh("1.29.6", "sidecar");
        report.checks(List.of(new CheckResult("mtls-ztunnel-reports-mutual-tls", null, "core", "p",
                Verdict.skipped("requires the ambient data plane; the installed mesh (sidecar) provides [sidecar]"), 0)));
        report.write();
    }

    @Test
    void withoutImplementationTheReportNamesIstiosProjectAndTheInstalledVersion() throws IOException {
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        assertThat(report().implementation()).isEqualTo(new ConformanceReport.Implementation("istio", "istio", "https://istio.io/", "1.29.6",
                List.of("@istio/maintainers")));
        assertThat(run.resolve("implementation.json")).doesNotExist();
    }

    @Test
    void aVendorsImplementationFillsTheReportAndStaysDeclaredForLaterReports() throws IOException {
        CliRunner r = CliRunner.run("report", run.toString(), "--implementation", ACME);
        assertThat(r.exitCode()).as(r.err()).isZero();
        ConformanceReport.Implementation acme = new ConformanceReport.Implementation("acme", "acme-mesh", "https://acme.example/mesh", "2.3.1",
                List.of("@acme/mesh-team", "mesh-support@acme.example"));
        assertThat(report().implementation()).isEqualTo(acme);
        assertThat(Files.readString(run.resolve("conformance-report.yaml"))).contains("  organization: acme\n", "  project: acme-mesh\n", "  version: 2.3.1\n");

        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        assertThat(report().implementation()).as("kept in implementation.json").isEqualTo(acme);
    }

    @Test
    void aBadImplementationIsOneLineAndExitTwoNamingWhatIsWrong() throws IOException {
        Map<String, String> bad = Map.of(
                "acme,2.3.1,https://acme.example,@acme", "'acme' is not ORG/PROJECT (two names without spaces, one slash)",
                "acme/mesh/x,2.3.1,https://acme.example,@acme", "'acme/mesh/x' is not ORG/PROJECT (two names without spaces, one slash)",
                "acme/mesh,2.3.1,https://acme.example", "it has 3 comma-separated field(s), at least 4 are needed",
                "acme/mesh,,https://acme.example,@acme", "the version '' is empty or has spaces",
                "acme/mesh,2 3,https://acme.example,@acme", "the version '2 3' is empty or has spaces",
                "acme/mesh,2.3.1,acme.example,@acme", "'acme.example' is not an http(s) URL",
                "acme/mesh,2.3.1,ftp://acme.example,@acme", "'ftp://acme.example' is not an http(s) URL",
                "acme/mesh,2.3.1,https://acme.example,@acme,", "a contact is empty");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            CliRunner r = CliRunner.run("report", run.toString(), "--implementation", b.getKey());
            assertThat(r.exitCode()).as(b.getKey()).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> l.startsWith("error: ")).toList()).as(b.getKey())
                    .containsExactly("error: --implementation must be ORG/PROJECT,VERSION,URL,CONTACT[,CONTACT...], not '" + b.getKey() + "': " + b.getValue());
        }
        assertThat(run.resolve("implementation.json")).doesNotExist();
        assertThat(run.resolve("conformance-report.yaml")).as("nothing written on bad input").doesNotExist();
    }

    @Test
    void runRefusesABadImplementationBeforeAnythingStarts() {
        Path out = tmp.resolve("never");
        CliRunner r = CliRunner.run("run", "--implementation", "acme", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --implementation must be ");
        assertThat(out).doesNotExist();
    }

    @Test
    void allureOnPathGeneratesTheHtmlReportFromTheRunsResults() throws Exception {
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path args = tmp.resolve("allure-args.txt");
        fakeAllure(bin, "printf '%s\\n' \"$@\" > " + args + "\n/bin/mkdir -p \"$4\" && echo '<html>' > \"$4/index.html\"\necho 'Report successfully generated'\n");

        Path report = AllureCommandLine.generate(run, tmp.resolve("elsewhere") + ":" + bin);

        assertThat(report).isEqualTo(run.resolve("allure-report"));
        assertThat(Files.readAllLines(args)).containsExactly("generate", "--clean", "-o", run.resolve("allure-report").toString(),
                run.resolve("allure-results").toString());
        assertThat(report.resolve("index.html")).isRegularFile();
    }

    @Test
    void aFailingAllureIsAnEnvironmentErrorWithItsLastLine() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("failing-bin"));
        fakeAllure(bin, "echo 'Could not generate report: results directory is broken' >&2\nexit 5\n");

        assertThatThrownBy(() -> AllureCommandLine.generate(run, bin.toString()))
                .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.ENVIRONMENT))
                .hasMessage(bin.resolve("allure") + " generate exited 5: Could not generate report: results directory is broken");
    }

    /** As its own process, with a PATH of the test's making: none with allure in it. */
    @Test
    void allureNotOnPathIsOneErrorLineAndExitThreeWithTheOtherReportsWritten() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "dev.meshproof.cli.Main", "report", run.toString(), "--allure");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().put("PATH", empty.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("meshproof report --allure did not finish within 60 s");
        }

        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(3);
        assertThat(err.lines().filter(l -> l.startsWith("error: ")))
                .containsExactly("error: --allure: the allure command is not on PATH; allure-results/ is written, Allure's HTML report is not");
        assertThat(err).contains("hint: install Allure's command line (npm install -g allure-commandline");
        assertThat(run.resolve("junit.xml")).isRegularFile();
        assertThat(run.resolve("allure-results")).isDirectoryContaining(f -> f.getFileName().toString().endsWith("-result.json"));
    }

    private ConformanceReport report() throws IOException {
        return ConformanceReports.fromYaml(Files.readString(run.resolve("conformance-report.yaml")));
    }

    private static void fakeAllure(Path bin, String body) throws IOException {
        Path allure = bin.resolve("allure");
        Files.writeString(allure, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(allure, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
