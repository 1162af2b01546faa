package dev.meshproof.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One check's evidence on disk, {@code <run>/checks/<check id>/<data plane>/}. The layout is a public contract
 * (docs/conformance.md, "Evidence layout"); this class is the only code that knows it:
 *
 * <pre>
 * context.json              CheckFacts: namespaces, workloads with SPIFFE ids and nodes, mesh mode, Istio version
 * manifests/NN-ACTION-FILE  every manifest applied or deleted, rendered, in order
 * calls.jsonl               one Probe per line: step, phase, client, time, the request, the agent's response
 * steps.jsonl               one StepRecord per line: how each step was driven (targets, times, bounds)
 * metrics/LABEL/POD.txt     proxy metrics bodies as served (POD is namespace_name)
 * logs/POD.log              proxy log lines of the check's window, as logged
 * status/KIND_NS_NAME.json  ObjectStatus: the status controllers wrote on an applied object (e.g. an HTTPRoute's conditions)
 * collected/NAME            what a check collected from elsewhere, verbatim (e.g. spans.json: a collector's OTLP JSON)
 * verdict.json              the verdict computed from the files above (written by the verdict stage)
 * </pre>
 */
public final class EvidenceDirectory {
    public static final String CONTEXT = "context.json";
    public static final String CALLS = "calls.jsonl";
    public static final String STEPS = "steps.jsonl";
    public static final String VERDICT = "verdict.json";
    public static final String MANIFESTS = "manifests";
    public static final String METRICS = "metrics";
    public static final String LOGS = "logs";
    public static final String STATUS = "status";
    public static final String COLLECTED = "collected";

    private final Path dir;
    private int manifestCount;

    public EvidenceDirectory(Path dir) {
        this.dir = dir;
    }

    /** {@code <run>/checks/<id>/<dataPlane>}. */
    public static EvidenceDirectory of(Path runRoot, String checkId, String dataPlane) {
        return new EvidenceDirectory(runRoot.resolve("checks").resolve(checkId).resolve(dataPlane));
    }

    public Path path() {
        return dir;
    }

    // ---- writing (while the check runs) ----

    public void writeFacts(CheckFacts facts) {
        writeJson(CONTEXT, facts);
    }

    public synchronized void writeManifest(String action, String file, String yaml) {
        manifestCount++;
        write(MANIFESTS + "/" + String.format("%02d-%s-%s", manifestCount, action, file.replace('/', '_')), yaml);
    }

    public synchronized void appendProbe(Probe probe) {
        appendLine(CALLS, probe);
    }

    public synchronized void appendStep(StepRecord step) {
        appendLine(STEPS, step);
    }

    public void writeScrape(MetricsScrape scrape) {
        write(METRICS + "/" + scrape.label() + "/" + fileName(scrape.pod()) + ".txt", scrape.text());
        appendLine(METRICS + "/index.jsonl", new MetricsScrape(scrape.label(), scrape.pod(), scrape.node(), null));
    }

    public void writeLog(LogCapture log) {
        write(LOGS + "/" + fileName(log.pod()) + ".log", log.text());
    }

    public void writeStatus(ObjectStatus status) {
        writeJson(STATUS + "/" + status.fileName(), status);
    }

    /** Records {@code text} as collected from outside the API server (a collector's spans, say), verbatim, as {@code collected/<name>}. */
    public void writeCollected(String name, String text) {
        if (name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        write(COLLECTED + "/" + name, text);
    }

    /** Writes {@code file} (relative to this directory) as indented JSON. */
    public void writeJson(String file, Object value) {
        try {
            write(file, EvidenceJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reading (the verdict, and `meshproof verdict` later) ----

    /** Reads every file back; a missing context or a line that does not parse is malformed evidence naming the file. */
    public Evidence read() {
        if (!Files.isDirectory(dir)) {
            throw new MalformedEvidenceException(dir.toString(), "no such evidence directory");
        }
        CheckFacts facts = readJson(CONTEXT, CheckFacts.class);
        List<Probe> probes = readLines(CALLS, Probe.class);
        for (Probe p : probes) {
            if (p.response() == null || p.step() == null || p.phase() == null) {
                throw new MalformedEvidenceException(CALLS, "probe " + p.seq() + " lacks its step, phase or response");
            }
            p.parsedResponse(); // must be the agent's format
        }
        List<StepRecord> steps = readLines(STEPS, StepRecord.class);
        List<MetricsScrape> scrapes = new ArrayList<>();
        for (MetricsScrape index : readLines(METRICS + "/index.jsonl", MetricsScrape.class)) {
            String file = METRICS + "/" + index.label() + "/" + fileName(index.pod()) + ".txt";
            scrapes.add(new MetricsScrape(index.label(), index.pod(), index.node(), readText(file)));
        }
        List<LogCapture> logs = new ArrayList<>();
        for (Path log : list(LOGS)) {
            String name = log.getFileName().toString();
            logs.add(new LogCapture(name.substring(0, name.length() - ".log".length()).replaceFirst("_", "/"), readText(LOGS + "/" + name)));
        }
        List<String> manifests = list(MANIFESTS).stream().map(p -> p.getFileName().toString()).toList();
        List<ObjectStatus> statuses = new ArrayList<>();
        for (Path status : list(STATUS)) {
            statuses.add(readJson(STATUS + "/" + status.getFileName(), ObjectStatus.class));
        }
        java.util.Map<String, String> collected = new java.util.LinkedHashMap<>();
        for (Path file : list(COLLECTED)) {
            collected.put(file.getFileName().toString(), readText(COLLECTED + "/" + file.getFileName()));
        }
        return new Evidence(facts, manifests, probes, steps, scrapes, logs, statuses, collected);
    }

    private static String fileName(String pod) {
        return pod.replace('/', '_');
    }

    private List<Path> list(String sub) {
        Path d = dir.resolve(sub);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".jsonl"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code file} (relative to this directory) as {@code type}; missing or malformed names the file. */
    public <T> T readJson(String file, Class<T> type) {
        try {
            T value = EvidenceJson.MAPPER.readValue(dir.resolve(file).toFile(), type);
            if (value == null) {
                throw new MalformedEvidenceException(file, "is empty");
            }
            return value;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new MalformedEvidenceException(file, "missing in " + dir);
        } catch (IOException e) {
            throw new MalformedEvidenceException(file, "does not parse: " + firstLine(e.getMessage()), e);
        }
    }

    private <T> List<T> readLines(String file, Class<T> type) {
        Path path = dir.resolve(file);
        if (!Files.exists(path)) {
            return List.of(); // no probes, no steps: the verdict will say there is nothing to judge
        }
        List<T> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    out.add(EvidenceJson.MAPPER.readValue(lines.get(i), type));
                } catch (JsonProcessingException e) {
                    throw new MalformedEvidenceException(file, "line " + (i + 1) + " does not parse: " + firstLine(e.getOriginalMessage()), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private String readText(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MalformedEvidenceException(file, "missing in " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String file, String content) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void appendLine(String file, Object value) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, EvidenceJson.MAPPER.writeValueAsString(value) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
