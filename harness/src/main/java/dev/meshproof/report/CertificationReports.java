package dev.meshproof.report;

import dev.meshproof.core.Versions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The reports a run leaves for someone else, all made from the run directory alone ({@link RunResults}): JUnit XML
 * for CI systems, Gateway API's ConformanceReport YAML for certification, the HTML page for people, and Allure's
 * results with each check's evidence attached. Written at the end of every {@code meshproof run} (also a failed one)
 * and by {@code meshproof report RUN_DIR}.
 */
public final class CertificationReports {
    public static final String JUNIT = "junit.xml";
    public static final String CONFORMANCE = "conformance-report.yaml";
    public static final String HTML = "report.html";

    private CertificationReports() {
    }

    /** Writes the reports into {@code run}; returns their paths (allure-results/ as its directory). */
    public static List<Path> write(Path run, Versions versions) {
        RunResults results = RunResults.read(run);
        Instant date = (results.started() != null ? Instant.parse(results.started()) : Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        return List.of(
                write(run.resolve(JUNIT), JunitXml.of(results)),
                write(run.resolve(CONFORMANCE), ConformanceReports.toYaml(ConformanceReports.of(results, versions, date))),
                write(run.resolve(HTML), HtmlReport.of(results, versions.gatewayApi().version())),
                AllureResults.write(results));
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
