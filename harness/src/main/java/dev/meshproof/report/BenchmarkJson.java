package dev.meshproof.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes and reads {@code benchmark.json}. */
public final class BenchmarkJson {
    public static final String FILE = "benchmark.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BenchmarkJson() {
    }

    public static Path write(BenchmarkSummary summary, Path dir) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            JSON.writeValue(file.toFile(), summary);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a benchmark.json; a missing or malformed file is a usage error (exit 2) naming the file. */
    public static BenchmarkSummary read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw MeshproofException.usage(file + ": no such file", "pass the benchmark.json a 'meshproof bench' run wrote");
        }
        BenchmarkSummary s;
        try {
            s = JSON.readValue(file.toFile(), BenchmarkSummary.class);
        } catch (IOException e) {
            throw MeshproofException.usage(file + ": not a Meshproof benchmark.json: " + e.getMessage().lines().findFirst().orElse(""),
                    "pass the benchmark.json a 'meshproof bench' run wrote");
        }
        if (!"meshproof".equals(s.tool()) || s.modes() == null) {
            throw MeshproofException.usage(file + ": field 'tool'/'modes': not a Meshproof benchmark.json",
                    "pass the benchmark.json a 'meshproof bench' run wrote");
        }
        if (s.formatVersion() != BenchmarkSummary.FORMAT_VERSION) {
            throw MeshproofException.usage(file + ": field 'formatVersion': " + s.formatVersion() + " is not supported (expected "
                    + BenchmarkSummary.FORMAT_VERSION + ")", "rerun the benchmark with this Meshproof version");
        }
        return s;
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
