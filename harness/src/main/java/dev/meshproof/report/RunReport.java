package dev.meshproof.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.verdict.CheckResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The run's own report: each step with its status and duration, what cluster and mesh it ran on, and the
 * outcome with its exit code. Written to {@code summary.json} and {@code summary.md} in the run directory,
 * also when the run fails (that is when it matters most).
 */
public final class RunReport {
    private final RunDirectory run;
    private final Instant started = Instant.now();
    private final List<Map<String, Object>> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    private String cluster;
    private String istioVersion;
    private String meshMode;
    private ExitCode exit = ExitCode.OK;
    private String error;
    private List<CheckResult> checks;
    private boolean interrupted;

    public RunReport(RunDirectory run) {
        this.run = run;
    }

    /** Runs a named step, recording its status and duration; progress lines say what runs and how long it took. */
    public <T> T step(String name, Supplier<T> body) {
        Map<String, Object> step = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        step.put("name", name);
        steps.add(step);
        long start = System.nanoTime();
        try {
            T result = Progress.timed(name, body);
            step.putIfAbsent("status", "ok");
            return result;
        } catch (RuntimeException e) {
            step.putIfAbsent("status", "failed");
            step.putIfAbsent("error", e.getMessage());
            throw e;
        } finally {
            step.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        }
    }

    public void cluster(String description) {
        this.cluster = description;
    }

    public void mesh(String version, String mode) {
        this.istioVersion = version;
        this.meshMode = mode;
    }

    /** The conformance checks' results; any FAIL or INCONCLUSIVE makes the run's exit code 1. */
    public void checks(List<CheckResult> results) {
        this.checks = List.copyOf(results);
        long failing = results.stream().filter(r -> r.verdict().failsRun()).count();
        if (failing > 0 && exit == ExitCode.OK) {
            failed(ExitCode.CHECKS_FAILED, failing + " of " + results.size() + " check results did not pass");
        }
    }

    /** "PASS 8, FAIL 1, INCONCLUSIVE 0, SKIPPED 2". */
    public String checksSummary() {
        if (checks == null) {
            return "no checks run";
        }
        java.util.Map<dev.meshproof.verdict.Verdict.Status, Long> by = new java.util.EnumMap<>(dev.meshproof.verdict.Verdict.Status.class);
        checks.forEach(c -> by.merge(c.verdict().status(), 1L, Long::sum));
        StringBuilder s = new StringBuilder();
        for (dev.meshproof.verdict.Verdict.Status status : dev.meshproof.verdict.Verdict.Status.values()) {
            s.append(s.length() == 0 ? "" : ", ").append(status).append(' ').append(by.getOrDefault(status, 0L));
        }
        return s.toString();
    }

    public synchronized void failed(ExitCode code, String message) {
        if (interrupted) {
            return; // what the interruption tore down afterwards is not the run's result
        }
        this.exit = code;
        this.error = message;
    }

    /**
     * The run was stopped (a signal or --timeout): the step in progress is marked interrupted, the result is
     * {@code interrupted} with the signal's exit code, and nothing that fails afterwards (while everything is torn
     * down) changes that.
     */
    public synchronized void interrupted(ExitCode code, String cause) {
        String during = "before the first step";
        for (Map<String, Object> s : List.copyOf(steps)) {
            if (!s.containsKey("status")) {
                s.put("status", "interrupted");
                during = "during '" + s.get("name") + "'";
            }
        }
        this.exit = code;
        this.error = "interrupted by " + cause + " " + during;
        this.interrupted = true;
    }

    public ExitCode exitCode() {
        return exit;
    }

    public List<Map<String, Object>> steps() {
        return List.copyOf(steps);
    }

    /** Writes summary.json and summary.md. */
    public synchronized void write() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("started", started.toString());
        doc.put("finished", Instant.now().toString());
        doc.put("result", interrupted ? "interrupted" : exit == ExitCode.OK ? "passed" : "failed");
        doc.put("exitCode", exit.code());
        if (error != null) {
            doc.put("error", error);
        }
        doc.put("cluster", cluster);
        Map<String, Object> mesh = new LinkedHashMap<>();
        mesh.put("istioVersion", istioVersion);
        mesh.put("mode", meshMode);
        doc.put("mesh", mesh);
        doc.put("steps", steps);
        if (checks != null) {
            doc.put("checks", checks);
        }
        try {
            run.write("summary.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder md = new StringBuilder();
        md.append("# Meshproof run: ").append(doc.get("result")).append(" (exit ").append(exit.code()).append(")\n\n");
        md.append("- cluster: ").append(cluster == null ? "not provisioned" : cluster).append('\n');
        md.append("- mesh: Istio ").append(istioVersion == null ? "-" : istioVersion).append(" (").append(meshMode == null ? "-" : meshMode).append(")\n");
        if (error != null) {
            md.append("- error: ").append(error).append('\n');
        }
        md.append("\n| step | status | seconds |\n|---|---|---|\n");
        for (Map<String, Object> s : steps) {
            md.append("| ").append(s.get("name")).append(" | ").append(s.get("status")).append(" | ").append(s.get("seconds")).append(" |\n");
        }
        if (checks != null) {
            md.append("\n## Conformance checks\n\n| check | data plane | level | verdict | seconds | reasons |\n|---|---|---|---|---|---|\n");
            for (CheckResult c : checks) {
                md.append("| ").append(c.check()).append(" | ").append(c.dataPlane() == null ? "-" : c.dataPlane()).append(" | ").append(c.level())
                        .append(" | **").append(c.verdict().status()).append("** | ").append(c.seconds()).append(" | ")
                        .append(String.join("<br>", c.verdict().reasons()).replace("|", "\\|")).append(" |\n");
            }
            md.append("\nEvidence per check: `checks/<id>/<data plane>/` (docs/conformance.md, \"Evidence layout\"); recompute with `meshproof verdict ")
                    .append(run.root()).append("`.\n");
        }
        run.write("summary.md", md.toString());
    }
}
