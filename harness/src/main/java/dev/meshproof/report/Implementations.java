package dev.meshproof.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.report.ConformanceReport.Implementation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which implementation a run's ConformanceReport names. By default Istio's own project, as Istio's published Gateway
 * API reports name it ({@code kubernetes-sigs/gateway-api:conformance/reports/v1.4.0/istio-istio/1.28.0-default-report.yaml}),
 * with the installed Istio version. A vendor certifying its own distribution declares it
 * ({@code --implementation} on {@code run} or {@code report}); the declaration is kept in the run directory as
 * {@value #FILE}, so every later {@code meshproof report} and a reviewer's {@code validate} see the same one.
 */
public final class Implementations {
    public static final String FILE = "implementation.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Implementations() {
    }

    /** Istio's project at {@code version}. */
    public static Implementation istio(String version) {
        return new Implementation("istio", "istio", "https://istio.io/", version, List.of("@istio/maintainers"));
    }

    /** Whether {@code i} names Istio's own project (whose version must then be the Istio version the run installed). */
    public static boolean isIstio(Implementation i) {
        return i != null && "istio".equals(i.organization()) && "istio".equals(i.project());
    }

    /** The implementation declared for {@code run}, or null when none was (the report then names Istio's project). */
    public static Implementation declared(Path run) {
        Path file = run.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Implementation.class);
        } catch (IOException e) {
            throw new MalformedEvidenceException(FILE, "does not parse: " + e.getMessage(), e);
        }
    }

    /** Records the declaration in the run directory. */
    public static void declare(Path run, Implementation implementation) {
        try {
            JSON.writeValue(run.resolve(FILE).toFile(), implementation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.resolve(FILE), e);
        }
    }
}
