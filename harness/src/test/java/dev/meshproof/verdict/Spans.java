package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;

/**
 * Test helper: OTLP/JSON documents assembled from the verbatim example {@code otlp-trace-example-v1.11.0.json}
 * (open-telemetry/opentelemetry-proto@v1.11.0 examples/trace.json) by editing its ids, kind and attributes, and
 * putting several edited spans into one document's {@code spans} array.
 */
public final class Spans {
    public static final String EXAMPLE = "otlp-trace-example-v1.11.0.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ATTRIBUTE = """
            {
                              "key": "my.span.attr",
                              "value": {
                                "stringValue": "some value"
                              }
                            }""";

    private Spans() {
    }

    /** One span: the example with these ids (any case), kind number and string attributes. */
    public static String span(String traceId, String spanId, String parentSpanId, int kind, Map<String, String> attributes) {
        String doc = upstream(EXAMPLE);
        doc = edit(doc, "5B8EFFF798038103D269B633813FC60C", traceId);
        doc = edit(doc, "\"EEE19B7EC3C1B174\"", "\"" + spanId + "\"");
        doc = edit(doc, "\"EEE19B7EC3C1B173\"", "\"" + parentSpanId + "\"");
        doc = edit(doc, "\"kind\": 2", "\"kind\": " + kind);
        StringBuilder attrs = new StringBuilder();
        attributes.forEach((k, v) -> attrs.append(attrs.isEmpty() ? "" : ", ").append("{\"key\": \"").append(k).append("\", \"value\": {\"stringValue\": \"").append(v).append("\"}}"));
        return edit(doc, ATTRIBUTE.strip(), attrs.toString());
    }

    /** Several documents' spans in one document (as one Envoy export holding several spans). */
    public static String merged(String... documents) {
        try {
            ObjectNode first = (ObjectNode) JSON.readTree(documents[0]);
            ArrayNode spans = (ArrayNode) first.at("/resourceSpans/0/scopeSpans/0/spans");
            for (int i = 1; i < documents.length; i++) {
                for (JsonNode s : JSON.readTree(documents[i]).at("/resourceSpans/0/scopeSpans/0/spans")) {
                    spans.add(s);
                }
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(first);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A collector's answer with no span. */
    public static String none() {
        return "{\"resourceSpans\":[]}";
    }
}
