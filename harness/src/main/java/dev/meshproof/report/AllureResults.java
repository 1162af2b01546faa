package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.core.FileTrees;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.verdict.Verdict;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The run's {@code allure-results/}, in Allure's results format (one {@code <uuid>-result.json} per check and data
 * plane, attachments by source name, {@code environment.properties}), written with Allure's own model and results
 * writer from the run directory alone ({@link RunResults}), so {@code meshproof report} gives the same results from a
 * copy or after the evidence was re-judged. Each result carries its verdict as the status (PASS passed, FAIL failed,
 * INCONCLUSIVE broken: no evidence either way, SKIPPED skipped), the reasons as its status details, and the files of
 * its evidence directory as attachments. An attachment is at most {@value #MAX_ATTACHMENT_BYTES} bytes: a longer file
 * (a proxy log) keeps its first and last lines around a line naming the whole file in the run directory; a check's
 * bounded diagnostics dump is attached by its index only.
 */
public final class AllureResults {
    public static final String DIRECTORY = "allure-results";
    public static final String ENVIRONMENT = "environment.properties";
    static final int MAX_ATTACHMENT_BYTES = 256 * 1024;
    private static final String DIAGNOSTICS = "diagnostics/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AllureResults() {
    }

    /** Replaces {@code <run>/allure-results/} with the results of {@code run}; returns the directory. */
    public static Path write(RunResults run) {
        Path dir = run.run().resolve(DIRECTORY);
        try {
            FileTrees.delete(dir); // a result of an earlier write that the run no longer has must not stay
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
        FileSystemResultsWriter writer = new FileSystemResultsWriter(dir);
        for (RunResults.Result r : run.results()) {
            writer.write(result(run, r, writer));
        }
        writer.write(ENVIRONMENT, new ByteArrayInputStream(environment(run).getBytes(StandardCharsets.ISO_8859_1)));
        return dir;
    }

    /** Allure's status for a verdict. */
    static Status status(Verdict.Status verdict) {
        return switch (verdict) {
            case PASS -> Status.PASSED;
            case FAIL -> Status.FAILED;
            case INCONCLUSIVE -> Status.BROKEN;
            case SKIPPED -> Status.SKIPPED;
        };
    }

    private static TestResult result(RunResults run, RunResults.Result r, FileSystemResultsWriter writer) {
        String name = r.name();
        String uuid = UUID.nameUUIDFromBytes(("meshproof-result:" + name).getBytes(StandardCharsets.UTF_8)).toString();
        String profile = Profiles.of(r.check().check());
        List<Label> labels = new ArrayList<>(List.of(
                label("parentSuite", "meshproof conformance"), label("suite", profile), label("feature", r.check().check()),
                label("tag", r.check().level()), label("framework", "meshproof")));
        List<Parameter> parameters = new ArrayList<>();
        if (r.check().dataPlane() != null) {
            labels.add(label("subSuite", r.check().dataPlane()));
            parameters.add(new Parameter().setName("data plane").setValue(r.check().dataPlane()));
        }
        parameters.add(new Parameter().setName("level").setValue(r.check().level()));
        for (Map.Entry<String, Duration> c : r.convergence().entrySet()) {
            parameters.add(new Parameter().setName("convergence " + c.getKey())
                    .setValue(String.format(Locale.ROOT, "%.2f s", c.getValue().toMillis() / 1000.0)));
        }
        TestResult t = new TestResult().setUuid(uuid).setName(name)
                .setFullName("meshproof." + profile.toLowerCase(Locale.ROOT) + "." + name)
                .setHistoryId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())
                .setTestCaseId(r.check().check())
                .setDescription(r.check().proves())
                .setStatus(status(r.status())).setStage(Stage.FINISHED)
                .setStatusDetails(new StatusDetails().setMessage(r.check().verdict().line())
                        .setTrace(String.join("\n", r.check().verdict().reasons())))
                .setLabels(labels).setParameters(parameters);
        Instant started = started(run, r);
        if (started != null) {
            t.setStart(started.toEpochMilli()).setStop(started.toEpochMilli() + Math.round(r.check().seconds() * 1000));
        }
        List<Attachment> attachments = new ArrayList<>();
        int n = 0;
        // a result without evidence (e.g. a check that never ran) may have no data plane to name a directory by
        Path evidence = r.evidence().isEmpty() ? null : EvidenceDirectory.of(run.run(), r.check().check(), r.check().dataPlane()).path();
        for (String file : r.evidence()) {
            String inDir = evidence.relativize(run.run().resolve(file)).toString().replace('\\', '/');
            if (inDir.startsWith(DIAGNOSTICS) && !inDir.equals(DIAGNOSTICS + "index.txt")) {
                continue;
            }
            byte[] content = excerpt(run.run().resolve(file), file);
            String source = uuid + "-" + (n++) + "-attachment" + extension(inDir);
            writer.write(source, new ByteArrayInputStream(content));
            attachments.add(new Attachment().setName(inDir).setSource(source).setType(type(inDir)).setSize((long) content.length));
        }
        return t.setAttachments(attachments);
    }

    /** When the check started (its context.json), else when the run did. */
    private static Instant started(RunResults run, RunResults.Result r) {
        if (r.check().dataPlane() != null) {
            Path dir = EvidenceDirectory.of(run.run(), r.check().check(), r.check().dataPlane()).path();
            if (Files.exists(dir.resolve(EvidenceDirectory.CONTEXT))) {
                try {
                    CheckFacts facts = new EvidenceDirectory(dir).readJson(EvidenceDirectory.CONTEXT, CheckFacts.class);
                    if (facts.started() != null) {
                        return facts.started();
                    }
                } catch (MalformedEvidenceException e) {
                    // the verdict names it; the result just has no time
                }
            }
        }
        return run.started() == null ? null : Instant.parse(run.started());
    }

    /** The file, or its first and last lines around a line naming it when it is longer than an attachment may be. */
    static byte[] excerpt(Path file, String relative) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (all.length <= MAX_ATTACHMENT_BYTES) {
            return all;
        }
        int half = MAX_ATTACHMENT_BYTES / 2;
        int headEnd = lastNewline(all, 0, half);
        int tailStart = all.length - half;
        int nl = indexOf(all, tailStart, all.length);
        tailStart = nl < 0 ? tailStart : nl + 1;
        String marker = "[meshproof: " + (tailStart - headEnd) + " of " + all.length + " bytes left out here; the whole file is "
                + relative + " in the run directory]\n";
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[headEnd + m.length + (all.length - tailStart)];
        System.arraycopy(all, 0, out, 0, headEnd);
        System.arraycopy(m, 0, out, headEnd, m.length);
        System.arraycopy(all, tailStart, out, headEnd + m.length, all.length - tailStart);
        return out;
    }

    private static int lastNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i + 1;
            }
        }
        return to;
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Allure's {@code environment.properties}: the run's Istio version, mesh mode, cluster and start, then
     * {@code environment.json} (what the cluster really was) flattened to {@code kubernetesVersion},
     * {@code nodes.0.kernelVersion}, {@code meshImages.3.imageID}, …
     */
    static String environment(RunResults run) {
        Map<String, String> env = new TreeMap<>();
        put(env, "istio.version", run.istioVersion());
        put(env, "mesh.mode", run.meshMode());
        put(env, "cluster", run.cluster());
        put(env, "run.started", run.started());
        Path file = run.run().resolve("environment.json");
        if (Files.exists(file)) {
            try {
                flatten(env, "", JSON.readTree(file.toFile()));
            } catch (IOException e) {
                throw new MalformedEvidenceException("environment.json", "does not parse: " + e.getMessage(), e);
            }
        }
        StringBuilder out = new StringBuilder();
        env.forEach((k, v) -> out.append(escape(k, true)).append('=').append(escape(v, false)).append('\n'));
        return out.toString();
    }

    private static void flatten(Map<String, String> env, String prefix, JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(env, prefix + e.getKey() + ".", e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(env, prefix + i + ".", node.get(i));
            }
        } else if (!node.isNull()) {
            env.put(prefix.substring(0, prefix.length() - 1), node.asText());
        }
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }

    /** java.util.Properties' escaping (ISO 8859-1 with \\uXXXX), which is how Allure reads the file. */
    private static String escape(String s, boolean key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(key || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }

    private static String type(String file) {
        if (file.endsWith(".json")) {
            return "application/json";
        }
        if (file.endsWith(".yaml") || file.endsWith(".yml")) {
            return "text/yaml";
        }
        return "text/plain";
    }

    private static String extension(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? ".txt" : name.substring(dot);
    }
}
