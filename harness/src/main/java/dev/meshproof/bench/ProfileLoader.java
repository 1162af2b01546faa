package dev.meshproof.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates load profiles. Every problem is reported as
 * {@code <file>: field '<field>': <problem>} and exits 2 (usage), so a broken profile is fixed in one look.
 */
public final class ProfileLoader {
    /** Profiles shipped in load-profiles/ (and inside the jar). */
    public static final List<String> BUNDLED = List.of("smoke", "seed-latency", "istio-docs");
    static final Set<String> FIELDS = Set.of("name", "description", "rate", "duration", "warmup", "connections",
            "payloadBytes", "connection", "repetitions", "modes", "placement", "requestTimeout", "path", "seed");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ProfileLoader() {
    }

    /**
     * Loads {@code reference}: a path to a YAML file, or the name of a bundled profile
     * ({@code smoke}, {@code seed-latency}, {@code istio-docs}).
     */
    public static LoadProfile load(String reference) {
        Path file = Path.of(reference);
        if (Files.isRegularFile(file)) {
            return loadFile(file);
        }
        if (BUNDLED.contains(reference)) {
            String resource = "load-profiles/" + reference + ".yaml";
            try (InputStream in = ProfileLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled profile missing from the jar: " + resource);
                }
                return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource, reference);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read bundled profile " + resource, e);
            }
        }
        throw MeshproofException.usage("load profile '" + reference + "' not found: no such file, and not a bundled profile",
                "pass a YAML file or one of: " + String.join(", ", BUNDLED));
    }

    public static LoadProfile loadFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw MeshproofException.usage(file + ": cannot read: " + e.getMessage(), "check the path and permissions");
        }
        String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), name);
    }

    /** Parses and validates profile text; {@code source} names it in errors, {@code defaultName} is used without a name field. */
    public static LoadProfile parse(String text, String source, String defaultName) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw MeshproofException.usage(source + ": not valid YAML: " + firstLine(e.getMessage()),
                    "see the profile schema in docs/benchmarks.md, section 'Profiles'");
        }
        if (root == null || !root.isObject()) {
            throw problem(source, "(top level)", "must be a mapping of profile fields");
        }
        ObjectNode o = (ObjectNode) root;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw problem(source, f, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String name = text(o, source, "name", defaultName);
        String description = text(o, source, "description", "");
        double rate = number(o, source, "rate", null);
        if (!(rate > 0) || rate > 1_000_000) {
            throw problem(source, "rate", "must be a number of requests per second in (0, 1000000], got " + o.get("rate"));
        }
        Duration duration = duration(o, source, "duration", null);
        if (duration.isZero()) {
            throw problem(source, "duration", "must be longer than 0");
        }
        Duration warmup = duration(o, source, "warmup", Duration.ofSeconds(5));
        int connections = integer(o, source, "connections", 4, 1, 10_000);
        int payload = integer(o, source, "payloadBytes", 0, 0, 16 * 1024 * 1024);
        String connection = text(o, source, "connection", "keep-alive");
        if (!connection.equals("keep-alive") && !connection.equals("new-per-request")) {
            throw problem(source, "connection", "must be 'keep-alive' or 'new-per-request', got '" + connection + "'");
        }
        int repetitions = integer(o, source, "repetitions", 1, 1, 1000);
        List<DataPath> modes = modes(o, source);
        LoadProfile.Placement placement = placement(o, source);
        Duration timeout = duration(o, source, "requestTimeout", Duration.ofSeconds(10));
        if (timeout.isZero()) {
            throw problem(source, "requestTimeout", "must be longer than 0");
        }
        String path = text(o, source, "path", "/");
        if (!path.startsWith("/")) {
            throw problem(source, "path", "must start with '/', got '" + path + "'");
        }
        long seed = (long) number(o, source, "seed", 1.0);
        return new LoadProfile(name, description, source, rate, duration, warmup, connections, payload,
                connection.equals("keep-alive"), repetitions, modes, placement, timeout, path, seed);
    }

    /** Parses "500ms", "10s", "2m", "1h" (also used for CLI flags). Returns null when malformed. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            default -> v * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    static MeshproofException problem(String source, String field, String what) {
        return MeshproofException.usage(source + ": field '" + field + "': " + what,
                "see the profile schema in docs/benchmarks.md, section 'Profiles'");
    }

    private static String text(ObjectNode o, String source, String field, String fallback) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw problem(source, field, "must be a string, got " + n);
        }
        return n.asText();
    }

    private static double number(ObjectNode o, String source, String field, Double fallback) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw problem(source, field, "is required");
            }
            return fallback;
        }
        if (!n.isNumber()) {
            throw problem(source, field, "must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static int integer(ObjectNode o, String source, String field, int fallback, int min, int max) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw problem(source, field, "must be a whole number in [" + min + ", " + max + "], got " + n);
        }
        return n.asInt();
    }

    private static Duration duration(ObjectNode o, String source, String field, Duration fallback) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw problem(source, field, "is required");
            }
            return fallback;
        }
        Duration d = n.isTextual() ? parseDuration(n.asText()) : null;
        if (d == null || d.isNegative()) {
            throw problem(source, field, "must be a duration like 500ms, 10s, 2m or 1h, got " + n);
        }
        return d;
    }

    private static List<DataPath> modes(ObjectNode o, String source) {
        JsonNode n = o.get("modes");
        if (n == null || n.isNull()) {
            return List.of(DataPath.NO_MESH);
        }
        if (!n.isArray() || n.isEmpty()) {
            throw problem(source, "modes", "must be a non-empty list of: " + DataPath.ids());
        }
        Set<DataPath> modes = new LinkedHashSet<>();
        for (JsonNode m : n) {
            DataPath mode = DataPath.byId(m.asText()).orElseThrow(() ->
                    problem(source, "modes", "unknown mode '" + m.asText() + "' (known: " + DataPath.ids() + ")"));
            if (!modes.add(mode)) {
                throw problem(source, "modes", "mode '" + mode + "' is listed twice");
            }
        }
        return new ArrayList<>(modes);
    }

    private static LoadProfile.Placement placement(ObjectNode o, String source) {
        String p = text(o, source, "placement", "any");
        for (LoadProfile.Placement v : LoadProfile.Placement.values()) {
            if (v.id().equals(p)) {
                return v;
            }
        }
        throw problem(source, "placement", "must be one of any, same-node, cross-node, got '" + p + "'");
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
