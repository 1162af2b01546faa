package dev.meshproof.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.report.RunResults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code fingerprint.json} of a bundle: what the run directory records about where the run happened, gathered in
 * one place for a reviewer: the cluster and mesh from summary.json, the Istio version and mesh mode each check's
 * context.json recorded, the nodes the checks' pods ran on, the install plan's first lines (versions, charts and
 * values), and the Meshproof that ran it. Nothing is asked of a cluster: a field the run did not record is absent.
 *
 * @param meshproofVersion  the Meshproof that made the bundle (the jar's version; {@code dev} from a build tree)
 * @param cluster           summary.json's cluster description
 * @param istioVersion      summary.json's Istio version
 * @param meshMode          summary.json's mesh mode
 * @param checkIstioVersions the Istio versions the checks' context.json recorded (one, in a consistent run)
 * @param nodes             node names the checks' pods ran on
 * @param plan              plan.txt (the install plan with versions, charts and values), when the run wrote one
 * @param exitCode          summary.json's exit code
 * @param environment       environment.json as the run recorded it after the install (Kubernetes version, nodes' OS,
 *                          kernel and runtime, the mesh's image digests), when it did
 */
record EnvironmentFingerprint(String meshproofVersion, String cluster, String istioVersion, String meshMode, List<String> checkIstioVersions,
                              List<String> nodes, String plan, Integer exitCode, JsonNode environment) {
    static final String FILE = "fingerprint.json";

    static EnvironmentFingerprint of(Path run) {
        JsonNode summary = null;
        try {
            if (Files.exists(run.resolve("summary.json"))) {
                summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
            }
            TreeSet<String> versions = new TreeSet<>();
            TreeSet<String> nodes = new TreeSet<>();
            for (Path dir : RunResults.evidenceDirectories(run)) {
                CheckFacts facts = context(dir);
                if (facts == null) {
                    continue;
                }
                versions.add(String.valueOf(facts.istioVersion()));
                facts.workloads().values().forEach(w -> w.pods().forEach(p -> {
                    if (p.node() != null) {
                        nodes.add(p.node());
                    }
                }));
            }
            String plan = Files.exists(run.resolve("plan.txt")) ? Files.readString(run.resolve("plan.txt")) : null;
            String version = EnvironmentFingerprint.class.getPackage().getImplementationVersion();
            return new EnvironmentFingerprint(version == null ? "dev" : version, RunResults.text(summary, "cluster"), RunResults.text(summary, "mesh", "istioVersion"),
                    RunResults.text(summary, "mesh", "mode"), new ArrayList<>(versions), new ArrayList<>(nodes), plan,
                    summary != null && summary.has("exitCode") ? summary.get("exitCode").asInt() : null,
                    Files.exists(run.resolve("environment.json")) ? new ObjectMapper().readTree(run.resolve("environment.json").toFile()) : null);
        } catch (IOException e) {
            throw new MalformedEvidenceException("summary.json", "does not parse: " + e.getMessage(), e);
        }
    }

    /** A check's context.json, or null when it has none (the validator reports that). */
    static CheckFacts context(Path evidenceDir) {
        if (!Files.exists(evidenceDir.resolve(EvidenceDirectory.CONTEXT))) {
            return null;
        }
        return new EvidenceDirectory(evidenceDir).readJson(EvidenceDirectory.CONTEXT, CheckFacts.class);
    }
}
