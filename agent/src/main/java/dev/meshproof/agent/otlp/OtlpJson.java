package dev.meshproof.agent.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.meshproof.agent.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * OTLP/JSON for traces: protobuf's JSON mapping ({@link JsonFormat} does all the parsing and printing) with OTLP's
 * one deviation that matters here, trace and span ids as hex where protobuf's mapping has base64
 * (open-telemetry/opentelemetry-proto@v1.11.0:docs/specification.md, "JSON Protobuf Encoding"). The ids are the only
 * fields touched by hand: {@code traceId}, {@code spanId}, {@code parentSpanId} of a span and {@code traceId},
 * {@code spanId} of its links, at {@code resourceSpans[].scopeSpans[].spans[]} (the same place in an
 * {@code ExportTraceServiceRequest} and in a {@code TracesData}).
 *
 * <p>Reading follows the spec: unknown fields are ignored, enums are accepted as numbers or names, 64-bit integers as
 * strings or numbers. Writing follows it too: enums as numbers, ids as lower-case hex, 64-bit integers as strings
 * (protobuf's JSON mapping).
 */
final class OtlpJson {
    private static final List<String> SPAN_IDS = List.of("traceId", "spanId", "parentSpanId");
    private static final List<String> LINK_IDS = List.of("traceId", "spanId");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().printingEnumsAsInts().omittingInsignificantWhitespace();

    private OtlpJson() {
    }

    /** An OTLP/JSON export request; hex ids of either case. */
    static ExportTraceServiceRequest parseRequest(byte[] json) throws OtlpRejection {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw OtlpRejection.badData("body is not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || tree.isMissingNode()) {
            throw OtlpRejection.badData("body is empty; OTLP/JSON needs an ExportTraceServiceRequest object");
        }
        if (!tree.isObject()) {
            throw OtlpRejection.badData("body is JSON " + tree.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an ExportTraceServiceRequest object");
        }
        for (IdField id : idFields(tree)) {
            try {
                id.owner().put(id.name(), Base64.getEncoder().encodeToString(SpanIds.fromHex(id.value().asText())));
            } catch (IllegalArgumentException e) {
                throw OtlpRejection.badData(id.path() + " " + e.getMessage() + "; OTLP/JSON ids are hex strings");
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(Json.MAPPER.writeValueAsString(tree), request);
        } catch (InvalidProtocolBufferException e) {
            throw OtlpRejection.badData("body is not an OTLP/JSON ExportTraceServiceRequest: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-serialise a parsed JSON tree", e);
        }
        return request.build();
    }

    /** A message with {@code resourceSpans} at its root (TracesData, ExportTraceServiceRequest) as OTLP/JSON. */
    static String print(MessageOrBuilder message) {
        try {
            JsonNode tree = Json.MAPPER.readTree(PRINTER.print(message));
            for (IdField id : idFields(tree)) {
                id.owner().put(id.name(), SpanIds.toHex(ByteString.copyFrom(
                        Base64.getDecoder().decode(id.value().asText()))));
            }
            return Json.MAPPER.writeValueAsString(tree);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName() + " as JSON", e);
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** An id-valued string field found in the tree, with its JSON path for messages. */
    private record IdField(ObjectNode owner, String name, JsonNode value, String path) {
    }

    /** The textual id fields of spans and links; anything else of the wrong shape is left to JsonFormat to reject. */
    private static List<IdField> idFields(JsonNode root) {
        List<IdField> found = new ArrayList<>();
        JsonNode resourceSpans = root.path("resourceSpans");
        for (int r = 0; r < resourceSpans.size(); r++) {
            JsonNode scopeSpans = resourceSpans.path(r).path("scopeSpans");
            for (int s = 0; s < scopeSpans.size(); s++) {
                JsonNode spans = scopeSpans.path(s).path("spans");
                for (int i = 0; i < spans.size(); i++) {
                    String at = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    collect(spans.path(i), SPAN_IDS, at, found);
                    JsonNode links = spans.path(i).path("links");
                    for (int l = 0; l < links.size(); l++) {
                        collect(links.path(l), LINK_IDS, at + ".links[" + l + "]", found);
                    }
                }
            }
        }
        return found;
    }

    private static void collect(JsonNode node, List<String> names, String at, List<IdField> found) {
        if (node instanceof ObjectNode object) {
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value != null && value.isTextual()) {
                    found.add(new IdField(object, name, value, at + "." + name));
                }
            }
        }
    }
}
