package dev.meshproof.cli;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code meshproof report RUN_DIR --allure}: Allure's HTML report by the {@code allure} command on PATH, exit 3 with one
 * error line when it is not there: a fake {@code allure} that records its arguments, one that fails, and the CLI as
 * its own process with a PATH that has none.
 */
class ReportCommandTest {
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

    private static void fakeAllure(Path bin, String body) throws IOException {
        Path allure = bin.resolve("allure");
        Files.writeString(allure, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(allure, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
