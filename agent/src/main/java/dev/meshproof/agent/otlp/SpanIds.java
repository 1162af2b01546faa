package dev.meshproof.agent.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.util.HexFormat;

/**
 * Trace and span ids: hex text (OTLP/JSON, W3C {@code traceparent}) to bytes and back, and the rules a received span's
 * ids must follow. From open-telemetry/opentelemetry-proto@v1.11.0:opentelemetry/proto/trace/v1/trace.proto: a trace
 * id is 16 bytes, a span id 8, and an id of all zeroes or of another length is invalid; {@code parent_span_id} is
 * empty for a root span, else 8 bytes. OTLP/JSON writes them as case-insensitive hex
 * (docs/specification.md, "JSON Protobuf Encoding").
 */
public final class SpanIds {
    public static final int TRACE_ID_BYTES = 16;
    public static final int SPAN_ID_BYTES = 8;
    private static final HexFormat HEX = HexFormat.of();

    private SpanIds() {
    }

    /** Hex digits, either case, to bytes. */
    static byte[] fromHex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("\"" + hex + "\" has an odd number of hex digits");
        }
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + hex + "\" is not hex", e);
        }
    }

    /** Lower-case hex, as W3C {@code traceparent} writes ids. */
    public static String toHex(ByteString id) {
        return HEX.formatHex(id.toByteArray());
    }

    /** A trace id given as 32 hex digits, either case; never all zeroes. */
    public static ByteString traceId(String hex) {
        byte[] id = fromHex(hex);
        if (id.length != TRACE_ID_BYTES || allZero(id)) {
            throw new IllegalArgumentException("\"" + hex + "\" is not a trace id: 32 hex digits, not all zero");
        }
        return ByteString.copyFrom(id);
    }

    /** Checks every span's and link's ids; the first wrong one is named with its place in the request. */
    static void validate(ExportTraceServiceRequest request) throws OtlpRejection {
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans rs = request.getResourceSpans(r);
            for (int s = 0; s < rs.getScopeSpansCount(); s++) {
                ScopeSpans ss = rs.getScopeSpans(s);
                for (int i = 0; i < ss.getSpansCount(); i++) {
                    Span span = ss.getSpans(i);
                    String at = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    require(span.getTraceId(), TRACE_ID_BYTES, false, at + ".traceId");
                    require(span.getSpanId(), SPAN_ID_BYTES, false, at + ".spanId");
                    require(span.getParentSpanId(), SPAN_ID_BYTES, true, at + ".parentSpanId");
                    for (int l = 0; l < span.getLinksCount(); l++) {
                        require(span.getLinks(l).getTraceId(), TRACE_ID_BYTES, false, at + ".links[" + l + "].traceId");
                        require(span.getLinks(l).getSpanId(), SPAN_ID_BYTES, false, at + ".links[" + l + "].spanId");
                    }
                }
            }
        }
    }

    private static void require(ByteString id, int length, boolean emptyAllowed, String field) throws OtlpRejection {
        if (id.isEmpty() && emptyAllowed) {
            return;
        }
        if (id.size() != length) {
            throw OtlpRejection.badData(field + " has " + id.size() + " bytes (" + toHex(id).length() + " hex digits); OTLP requires "
                    + length + " bytes (" + 2 * length + " hex digits)" + (emptyAllowed ? " or none" : ""));
        }
        if (allZero(id.toByteArray())) {
            throw OtlpRejection.badData(field + " is all zeroes, which OTLP defines as invalid");
        }
    }

    private static boolean allZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
