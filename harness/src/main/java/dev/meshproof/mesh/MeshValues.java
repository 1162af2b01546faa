package dev.meshproof.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's chart values ({@code --values FILE}): one section per chart, plus {@code global}, which is merged
 * into every chart's {@code global} — the shape of Istio's umbrella chart
 * ({@code manifests/sample-charts/ambient/values.yaml}: {@code istiod:}, {@code cni:}, {@code ztunnel:}, {@code global:}).
 * <pre>
 * global:  {logging: {level: "default:debug"}}
 * istiod:  {pilot: {env: {PILOT_ENABLE_AMBIENT_WAYPOINTS: "true"}}}
 * cni:     {ambient: {ipv6: false}}
 * ztunnel: {logLevel: debug}
 * </pre>
 * The user's values win over the ones Meshproof sets.
 */
public final class MeshValues {
    /** The sections a values file may have. */
    public static final List<String> SECTIONS = List.of("global", "base", "istiod", "cni", "ztunnel");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Map<String, Map<String, Object>> sections;

    private MeshValues(Map<String, Map<String, Object>> sections) {
        this.sections = sections;
    }

    public static MeshValues none() {
        return new MeshValues(Map.of());
    }

    /** Reads and validates the file; any problem is exit 2 naming the file and what is wrong. */
    public static MeshValues load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw MeshproofException.usage("values file not found: " + file, "pass an existing YAML file with --values");
        }
        Object root;
        try {
            root = YAML.readValue(file.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw MeshproofException.usage("values file " + file + " is not valid YAML" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""),
                    "fix the YAML; the file has one section per chart: " + String.join(", ", SECTIONS));
        } catch (IOException e) {
            throw MeshproofException.usage("cannot read values file " + file + ": " + e.getMessage(), "check the file's permissions");
        }
        if (root == null) {
            return none();
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw MeshproofException.usage("values file " + file + " must be a mapping of chart sections, not a " + kindOf(root),
                    "use sections " + String.join(", ", SECTIONS) + ", e.g. 'cni: {ambient: {ipv6: false}}'");
        }
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!SECTIONS.contains(key)) {
                throw MeshproofException.usage("values file " + file + ": unknown section '" + key + "'",
                        "sections are " + String.join(", ", SECTIONS) + " (chart values go under their chart's name)");
            }
            if (e.getValue() == null) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw MeshproofException.usage("values file " + file + ": section '" + key + "' must be a mapping, not a " + kindOf(e.getValue()),
                        "write chart values as YAML maps, e.g. '" + key + ": {someKey: someValue}'");
            }
            sections.put(key, Values.copyOf(m));
        }
        if (sections.get("istiod") != null && sections.get("istiod").get("meshConfig") instanceof Map<?, ?> meshConfig) {
            ExtensionProviders.validate(meshConfig.get("extensionProviders"), "values file " + file + ", section istiod");
        }
        return new MeshValues(sections);
    }

    /** The user's values for one chart: its own section over the {@code global} section (as {@code global:}). */
    public Map<String, Object> forChart(String chart) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (sections.containsKey("global")) {
            out.put("global", Values.copyOf(sections.get("global")));
        }
        return Values.merge(out, sections.getOrDefault(chart, Map.of()));
    }

    private static String kindOf(Object o) {
        return o instanceof List<?> ? "list" : "scalar (" + o + ")";
    }
}
