package dev.meshproof.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.evidence.Probe;
import dev.meshproof.evidence.StepRecord;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the reports of a run are made from, read back from the run directory alone (so {@code meshproof report
 * RUN_DIR} regenerates them offline, and a reviewer's copy gives the same pages): every check result, from
 * {@code summary.json} when the run wrote one (it also lists checks skipped before choosing a data plane), else
 * from each {@code checks/<id>/<data plane>/verdict.json}; the mesh and cluster it ran on; the implementation declared.
 *
 * @param run          the run directory
 * @param results      one per check and data plane
 * @param istioVersion the installed Istio version (summary.json, else the first context.json); null if unknown
 * @param meshMode     ambient, sidecar or hybrid; null if unknown
 * @param cluster      the cluster's description; null if unknown
 * @param started      when the run started (ISO-8601); null if unknown
 * @param implementation the implementation declared for the run ({@link Implementations}); null: Istio's project
 */
public record RunResults(Path run, List<Result> results, String istioVersion, String meshMode, String cluster, String started,
                         ConformanceReport.Implementation implementation) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One check result with what the reports add to it.
     *
     * @param convergence per step, how long the state took to reach (step start to its first hold observation)
     * @param evidence    files of its evidence directory, relative to the run directory (empty when it has none)
     */
    public record Result(CheckResult check, Map<String, Duration> convergence, List<String> evidence) {
        /** {@code l4-deny-by-principal[ambient]}, or the bare id for a check skipped before choosing a data plane. */
        public String name() {
            return check.check() + (check.dataPlane() == null ? "" : "[" + check.dataPlane() + "]");
        }

        public Verdict.Status status() {
            return check.verdict().status();
        }
    }

    /** Reads the run directory; missing or malformed evidence is named ({@link MalformedEvidenceException}). */
    public static RunResults read(Path run) {
        JsonNode summary = readSummary(run);
        List<CheckResult> checks = new ArrayList<>();
        if (summary != null && summary.has("checks")) {
            for (JsonNode c : summary.get("checks")) {
                checks.add(treeToValue(c));
            }
        } else {
            for (Path dir : evidenceDirectories(run)) {
                checks.add(new EvidenceDirectory(dir).readJson(EvidenceDirectory.VERDICT, CheckResult.class));
            }
        }
        List<Result> results = new ArrayList<>();
        String istio = text(summary, "mesh", "istioVersion");
        String mode = text(summary, "mesh", "mode");
        for (CheckResult c : checks) {
            Path dir = c.dataPlane() == null ? null : EvidenceDirectory.of(run, c.check(), c.dataPlane()).path();
            if (dir == null || !Files.isDirectory(dir)) {
                results.add(new Result(c, Map.of(), List.of()));
                continue;
            }
            Optional<Evidence> evidence = readEvidence(dir);
            if (istio == null) {
                istio = evidence.map(e -> e.facts().istioVersion()).orElse(null);
                mode = evidence.map(e -> e.facts().meshMode()).orElse(mode);
            }
            results.add(new Result(c, evidence.map(RunResults::convergence).orElse(Map.of()), files(run, dir)));
        }
        return new RunResults(run, results, istio, mode, text(summary, "cluster"), text(summary, "started"), Implementations.declared(run));
    }

    /** Every {@code checks/<id>/<data plane>/} directory, sorted. */
    public static List<Path> evidenceDirectories(Path run) {
        List<Path> out = new ArrayList<>();
        for (Path check : directories(run.resolve("checks"))) {
            out.addAll(directories(check));
        }
        return out;
    }

    private static Optional<Evidence> readEvidence(Path dir) {
        try {
            return Optional.of(new EvidenceDirectory(dir).read());
        } catch (MalformedEvidenceException e) {
            return Optional.empty(); // the verdict already says why; the reports still list the check
        }
    }

    /** Per step: from its start to its first hold observation (a step that never held has none). */
    private static Map<String, Duration> convergence(Evidence e) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (StepRecord s : e.steps()) {
            if (out.containsKey(s.step()) || s.started() == null) {
                continue;
            }
            e.probes(s.step()).stream().filter(p -> Probe.HOLD.equals(p.phase())).findFirst()
                    .ifPresent(p -> out.put(s.step(), Duration.between(s.started(), p.at())));
        }
        return out;
    }

    private static List<String> files(Path run, Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> run.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> directories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readSummary(Path run) {
        Path file = run.resolve("summary.json");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new MalformedEvidenceException("summary.json", "does not parse: " + e.getMessage(), e);
        }
    }

    private static CheckResult treeToValue(JsonNode node) {
        try {
            return JSON.treeToValue(node, CheckResult.class);
        } catch (IOException e) {
            throw new MalformedEvidenceException("summary.json", "a check result does not parse: " + e.getMessage(), e);
        }
    }

    /** The text at {@code path} in a JSON document (summary.json), or null. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n == null ? null : n.get(p);
        }
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The results in {@code profile} (see {@link Profiles}). */
    public List<Result> inProfile(String profile) {
        return results.stream().filter(r -> Profiles.of(r.check().check()).equals(profile)).toList();
    }
}
