package dev.meshproof.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Spans in OTLP/JSON ({@code TracesData} / {@code ExportTraceServiceRequest}: {@code resourceSpans[].scopeSpans[].spans[]},
 * as the collector serves them back), read as leniently as the OTLP/JSON encoding allows
 * (opentelemetry-proto {@code docs/specification.md}, "JSON Protobuf Encoding"): trace and span ids are hex in either
 * case (normalised to lower case), {@code kind} is the enum's integer or its name, int64 values are strings or numbers,
 * fields may be lowerCamelCase or the proto's snake_case names. Attribute values are kept as text (string, int, double
 * or bool values), the resource's attributes too (Envoy puts {@code service.name} there).
 */
public final class OtlpSpans {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    /** {@code opentelemetry.proto.trace.v1.Span.SpanKind}, by number. */
    private static final List<String> KINDS = List.of("SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
            "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER");

    /**
     * One span.
     *
     * @param traceId      32 lower-case hex digits
     * @param spanId       16 lower-case hex digits
     * @param parentSpanId 16 lower-case hex digits, or empty for a root span
     * @param kind         the span kind's name ({@code SPAN_KIND_SERVER}, …)
     * @param attributes   the span's attributes as text, by key
     * @param resource     the resource's attributes as text, by key ({@code service.name}, …)
     */
    public record Span(String traceId, String spanId, String parentSpanId, String name, String kind,
                       Map<String, String> attributes, Map<String, String> resource) {
        /** The first of {@code keys} the span has (e.g. Envoy's legacy tag name, then the semantic-convention name). */
        public String attribute(String... keys) {
            for (String key : keys) {
                if (attributes.containsKey(key)) {
                    return attributes.get(key);
                }
            }
            return null;
        }
    }

    private OtlpSpans() {
    }

    /** Every span in {@code json}; an empty object or {@code resourceSpans: []} has none. */
    public static List<Span> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not OTLP/JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not OTLP/JSON: the document is not an object");
        }
        List<Span> out = new ArrayList<>();
        for (JsonNode rs : field(root, "resourceSpans", "resource_spans")) {
            Map<String, String> resource = attributes(field(field(rs, "resource"), "attributes"));
            for (JsonNode ss : field(rs, "scopeSpans", "scope_spans")) {
                for (JsonNode s : field(ss, "spans")) {
                    out.add(new Span(id(text(field(s, "traceId", "trace_id")), TRACE_ID, "traceId"),
                            id(text(field(s, "spanId", "span_id")), SPAN_ID, "spanId"),
                            parent(text(field(s, "parentSpanId", "parent_span_id"))),
                            text(field(s, "name")), kind(field(s, "kind")), attributes(field(s, "attributes")), resource));
                }
            }
        }
        return out;
    }

    private static String parent(String raw) {
        return raw == null || raw.isEmpty() ? "" : id(raw, SPAN_ID, "parentSpanId");
    }

    private static String id(String raw, Pattern form, String what) {
        String lower = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        if (!form.matcher(lower).matches()) {
            throw new IllegalArgumentException("not OTLP/JSON: " + what + " '" + raw + "' is not hex of the right length");
        }
        return lower;
    }

    private static String kind(JsonNode k) {
        if (k.isMissingNode() || k.isNull()) {
            return KINDS.get(0);
        }
        if (k.isIntegralNumber() || k.isTextual() && k.asText().matches("\\d+")) {
            int n = k.asInt();
            return n >= 0 && n < KINDS.size() ? KINDS.get(n) : "SPAN_KIND_" + n;
        }
        return k.asText();
    }

    private static Map<String, String> attributes(JsonNode list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode a : list) {
            JsonNode v = field(a, "value");
            String value = null;
            for (String type : List.of("stringValue", "string_value", "intValue", "int_value", "doubleValue", "double_value", "boolValue", "bool_value")) {
                if (v.has(type)) {
                    value = v.get(type).asText();
                    break;
                }
            }
            out.put(text(field(a, "key")), value);
        }
        return out;
    }

    private static JsonNode field(JsonNode node, String... names) {
        for (String n : names) {
            if (node != null && node.has(n)) {
                return node.get(n);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }
}
