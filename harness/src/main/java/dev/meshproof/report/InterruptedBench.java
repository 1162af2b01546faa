package dev.meshproof.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshproof.bench.BenchmarkRunner;
import dev.meshproof.bench.RepetitionResult;
import dev.meshproof.core.ExitCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The summary of a {@code bench} that was stopped (a signal or --timeout): {@code summary.json} with the state
 * {@code interrupted}, the repetition it was in (partial: its numbers are not kept), and each finished
 * repetition's counts and percentiles. No {@code benchmark.json} is written, so an interrupted run can never be
 * compared or gated.
 */
public final class InterruptedBench {
    public static final String FILE = "summary.json";

    private InterruptedBench() {
    }

    public static Path write(Path dir, ExitCode code, String cause, BenchmarkRunner.State state) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", "bench");
        doc.put("result", "interrupted");
        doc.put("exitCode", code.code());
        doc.put("error", "interrupted by " + cause + (state.current() == null ? "" : " during '" + state.current() + "'"));
        if (state.current() != null) {
            doc.put("partial", Map.of("repetition", state.current(), "note", "stopped part way: not kept, not in any statistics or gate"));
        }
        List<Map<String, Object>> done = new ArrayList<>();
        for (RepetitionResult r : state.completed()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", r.mode().id());
            m.put("repetition", r.repetition());
            m.put("requests", r.load().requests());
            m.put("errors", r.load().errors());
            m.put("achievedRate", r.load().achievedRate());
            m.put("p50Micros", r.load().latencyHistogram().getValueAtPercentile(50) / 1000.0);
            m.put("p99Micros", r.load().latencyHistogram().getValueAtPercentile(99) / 1000.0);
            m.put("runDirectory", r.runDirectory().toString());
            done.add(m);
        }
        doc.put("completedRepetitions", done);
        doc.put("note", "no benchmark.json: an interrupted run is never compared or gated; rerun to measure");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE);
            Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
