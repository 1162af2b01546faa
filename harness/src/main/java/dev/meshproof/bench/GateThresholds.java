package dev.meshproof.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Regression thresholds (ci/gates.yaml): per latency percentile the increase allowed before a change counts
 * as a regression, as the larger of {@code maxIncreaseMicros} and {@code maxIncreasePercent} of the baseline;
 * per error rate the increase allowed in percentage points. {@code defaults} apply to every mode;
 * {@code modes.<mode>} overrides single metrics.
 */
public record GateThresholds(Map<String, Limit> defaults, Map<String, Map<String, Limit>> modes) {
    public static final String ERROR_RATE = "errorRate";
    private static final Set<String> METRICS = Set.of("p50", "p90", "p95", "p99", "p999", ERROR_RATE);
    private static final Set<String> LIMIT_FIELDS = Set.of("maxIncreaseMicros", "maxIncreasePercent", "maxIncreasePoints");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Allowed increase: absolute µs and/or percent of the baseline (latency), or percentage points (error rate). */
    public record Limit(Double maxIncreaseMicros, Double maxIncreasePercent, Double maxIncreasePoints) {
        /** The allowed increase in µs for a latency whose baseline is {@code baselineMicros}. */
        public double allowedMicros(double baselineMicros) {
            double abs = maxIncreaseMicros == null ? 0 : maxIncreaseMicros;
            double rel = maxIncreasePercent == null ? 0 : baselineMicros * maxIncreasePercent / 100;
            return Math.max(abs, rel);
        }
    }

    /** The metrics gated for {@code mode}, with their limits (mode overrides win). */
    public Map<String, Limit> forMode(String mode) {
        Map<String, Limit> m = new LinkedHashMap<>(defaults);
        m.putAll(modes.getOrDefault(mode, Map.of()));
        return m;
    }

    public static GateThresholds load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw MeshproofException.usage(file + ": no such thresholds file", "pass --thresholds ci/gates.yaml or your own");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw MeshproofException.usage(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""),
                    "see the format in ci/gates.yaml");
        }
        if (root == null || !root.isObject()) {
            throw problem(file, "(top level)", "must be a mapping with 'defaults' and optional 'modes'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("defaults") && !f.equals("modes")) {
                throw problem(file, f, "unknown field (known: defaults, modes)");
            }
        }
        Map<String, Limit> defaults = metrics(file, "defaults", root.get("defaults"));
        Map<String, Map<String, Limit>> modes = new LinkedHashMap<>();
        JsonNode m = root.get("modes");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                throw problem(file, "modes", "must be a mapping of mode name to metric limits");
            }
            for (Map.Entry<String, JsonNode> e : m.properties()) {
                if (DataPath.byId(e.getKey()).isEmpty()) {
                    throw problem(file, "modes." + e.getKey(), "unknown mode (known: " + DataPath.ids() + ")");
                }
                modes.put(e.getKey(), metrics(file, "modes." + e.getKey(), e.getValue()));
            }
        }
        return new GateThresholds(defaults, modes);
    }

    private static Map<String, Limit> metrics(Path file, String where, JsonNode node) {
        Map<String, Limit> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw problem(file, where, "must be a mapping of metric (" + String.join(", ", new java.util.TreeSet<>(METRICS)) + ") to limits");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String field = where + "." + e.getKey();
            if (!METRICS.contains(e.getKey())) {
                throw problem(file, field, "unknown metric (known: " + String.join(", ", new java.util.TreeSet<>(METRICS)) + ")");
            }
            JsonNode l = e.getValue();
            if (l == null || !l.isObject() || l.isEmpty()) {
                throw problem(file, field, "must set at least one of " + String.join(", ", LIMIT_FIELDS));
            }
            for (Iterator<String> f = l.fieldNames(); f.hasNext(); ) {
                String name = f.next();
                if (!LIMIT_FIELDS.contains(name)) {
                    throw problem(file, field + "." + name, "unknown limit (known: " + String.join(", ", LIMIT_FIELDS) + ")");
                }
                if (!l.get(name).isNumber() || l.get(name).asDouble() < 0) {
                    throw problem(file, field + "." + name, "must be a number >= 0, got " + l.get(name));
                }
            }
            out.put(e.getKey(), new Limit(num(l, "maxIncreaseMicros"), num(l, "maxIncreasePercent"), num(l, "maxIncreasePoints")));
        }
        return out;
    }

    private static Double num(JsonNode l, String f) {
        return l.has(f) ? l.get(f).asDouble() : null;
    }

    private static MeshproofException problem(Path file, String field, String what) {
        return MeshproofException.usage(file + ": field '" + field + "': " + what, "see the format in ci/gates.yaml");
    }
}
