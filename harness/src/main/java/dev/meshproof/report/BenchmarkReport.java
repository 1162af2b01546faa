package dev.meshproof.report;

import dev.meshproof.bench.BenchmarkSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every benchmark output derived from the summary: benchmark.json, the tables and the chart. */
public final class BenchmarkReport {
    public static final String MARKDOWN = "benchmark.md";
    public static final String HTML = "benchmark.html";

    private BenchmarkReport() {
    }

    /** @return the files written */
    public static List<Path> write(BenchmarkSummary summary, Path dir) {
        Path json = BenchmarkJson.write(summary, dir);
        Path md = writeText(dir.resolve(MARKDOWN), ReportTables.markdown(summary));
        Path html = writeText(dir.resolve(HTML), ReportTables.html(summary));
        Path png = PercentileChart.write(summary, dir);
        return List.of(json, md, html, png);
    }

    private static Path writeText(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
