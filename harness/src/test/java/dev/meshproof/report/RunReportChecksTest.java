package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The run report with check results: what decides the run's exit code, and what summary.json/summary.md say. */
class RunReportChecksTest {
    @TempDir
    Path tmp;

    static CheckResult result(String id, Verdict v) {
        return new CheckResult(id, "ambient", "core", "proves something", v, 1.5);
    }

    @Test
    void passAndSkipKeepTheRunGreen() {
        RunReport report = new RunReport(RunDirectory.at(tmp));
        report.checks(List.of(result("a", Verdict.pass("ok")), result("b", Verdict.skipped("no sidecar"))));
        assertThat(report.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(report.checksSummary()).isEqualTo("PASS 1, FAIL 0, INCONCLUSIVE 0, SKIPPED 1");
    }

    @Test
    void failOrInconclusiveFailsTheRunWithExitOne() throws IOException {
        RunReport report = new RunReport(RunDirectory.at(tmp));
        report.checks(List.of(result("a", Verdict.pass("ok")), result("b", Verdict.inconclusive("no metric series"))));
        assertThat(report.exitCode()).isEqualTo(ExitCode.CHECKS_FAILED);
        report.write();

        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("summary.json").toFile());
        assertThat(summary.get("result").asText()).isEqualTo("failed");
        assertThat(summary.get("exitCode").asInt()).isEqualTo(1);
        assertThat(summary.get("checks").get(1).get("verdict").get("status").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(Files.readString(tmp.resolve("summary.md"))).contains("| b | ambient | core | **INCONCLUSIVE** | 1.5 | no metric series |");
    }
}
