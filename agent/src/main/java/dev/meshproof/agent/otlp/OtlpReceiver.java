package dev.meshproof.agent.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshproof.agent.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP trace receiver, so a conformance check can point the mesh's OpenTelemetry tracing provider at an agent:
 * {@code POST /v1/traces} takes OTLP/HTTP exports (binary protobuf or OTLP/JSON, plain or gzip) and answers as
 * open-telemetry/opentelemetry-proto@v1.11.0:docs/specification.md ("OTLP/HTTP") says; {@code GET /otlp/spans}
 * gives back what was kept (see {@link SpanStore}) as OTLP/JSON. OTLP/gRPC exports go through {@link #accept} too.
 * Free of Netty: the server's handlers map requests and {@link Reply}s.
 */
public final class OtlpReceiver {
    public static final String TRACES_PATH = "/v1/traces";
    public static final String SPANS_PATH = "/otlp/spans";
    /** The body limit after decompression: the spec's recommended default (20 MiB), answered with 413 past it. */
    static final int MAX_DECOMPRESSED_BYTES = 20 * 1024 * 1024;
    static final String TEXT = "text/plain; charset=utf-8";
    /** Response headers of {@code GET /otlp/spans}: the store's counters ({@link SpanStore.Counts}). */
    public static final String HEADER_RECEIVED = "x-meshproof-otlp-spans-received";
    public static final String HEADER_DROPPED = "x-meshproof-otlp-spans-dropped";
    public static final String HEADER_REJECTED = "x-meshproof-otlp-exports-rejected";

    private final SpanStore store;

    /** An HTTP answer: status, {@code Content-Type}, body and any extra headers. */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply of(int status, String contentType, byte[] body) {
            return new Reply(status, contentType, body, Map.of());
        }
    }

    public OtlpReceiver(SpanStore store) {
        this.store = store;
    }

    public SpanStore store() {
        return store;
    }

    /** {@code POST /v1/traces}: 200 with an empty ExportTraceServiceResponse, or 4xx with a google.rpc.Status. */
    public Reply export(String contentType, String contentEncoding, byte[] body) {
        Optional<OtlpEncoding> encoding = OtlpEncoding.ofContentType(contentType);
        if (encoding.isEmpty()) {
            // As the OpenTelemetry Collector's OTLP receiver does (receiver/otlpreceiver/otlphttp.go handleUnmatchedContentType).
            store.rejected();
            return Reply.of(415, TEXT, ("unsupported Content-Type " + (contentType == null ? "(none)" : "\"" + contentType + "\"")
                    + "; OTLP/HTTP takes application/x-protobuf or application/json\n").getBytes(StandardCharsets.UTF_8));
        }
        try {
            accept(encoding.get(), contentEncoding, body);
        } catch (OtlpRejection rejection) {
            return Reply.of(rejection.httpStatus(), encoding.get().mediaType(), rejection.status(encoding.get()));
        }
        ExportTraceServiceResponse ok = ExportTraceServiceResponse.getDefaultInstance();
        return Reply.of(200, encoding.get().mediaType(), encoding.get() == OtlpEncoding.JSON
                ? "{}".getBytes(StandardCharsets.UTF_8) : ok.toByteArray());
    }

    /**
     * Decompresses, decodes, validates and keeps one export request (any transport); a refused request leaves the
     * store as it was and is counted.
     */
    public ExportTraceServiceRequest accept(OtlpEncoding encoding, String contentEncoding, byte[] body) throws OtlpRejection {
        try {
            byte[] plain = decompress(contentEncoding, body);
            ExportTraceServiceRequest request = switch (encoding) {
                case JSON -> OtlpJson.parseRequest(plain);
                case PROTOBUF -> parseProtobuf(plain);
            };
            SpanIds.validate(request);
            store.add(request);
            return request;
        } catch (OtlpRejection rejection) {
            store.rejected();
            throw rejection;
        }
    }

    /** {@code GET /otlp/spans[?traceId=HEX]}: the kept spans of that trace (or all) as OTLP/JSON TracesData. */
    public Reply spans(List<String> traceIdParameter) {
        Optional<ByteString> traceId = Optional.empty();
        if (traceIdParameter != null && !traceIdParameter.isEmpty()) {
            try {
                traceId = Optional.of(SpanIds.traceId(traceIdParameter.get(0)));
            } catch (IllegalArgumentException e) {
                return error(400, "query parameter 'traceId' " + e.getMessage());
            }
        }
        SpanStore.Counts counts = store.counts();
        return new Reply(200, OtlpEncoding.JSON.mediaType(),
                OtlpJson.print(store.spans(traceId)).getBytes(StandardCharsets.UTF_8),
                Map.of(HEADER_RECEIVED, Long.toString(counts.received()), HEADER_DROPPED, Long.toString(counts.dropped()),
                        HEADER_REJECTED, Long.toString(counts.rejectedExports())));
    }

    private static ExportTraceServiceRequest parseProtobuf(byte[] body) throws OtlpRejection {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw OtlpRejection.badData("body is not a protobuf ExportTraceServiceRequest: " + e.getMessage());
        }
    }

    /** The body as sent before any {@code Content-Encoding}: none (or identity) and gzip, the two OTLP requires. */
    static byte[] decompress(String contentEncoding, byte[] body) throws OtlpRejection {
        String coding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity")) {
            return body;
        }
        if (!coding.equals("gzip")) {
            throw OtlpRejection.unsupportedEncoding("unsupported Content-Encoding \"" + contentEncoding + "\"; OTLP/HTTP takes gzip or none");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(body.length * 4, 64));
            byte[] chunk = new byte[16 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (out.size() + n > MAX_DECOMPRESSED_BYTES) {
                    throw OtlpRejection.tooLarge("gzip body is larger than " + MAX_DECOMPRESSED_BYTES + " bytes decompressed");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw OtlpRejection.badData("body is said to be gzip but is not valid gzip: " + e);
        }
    }

    private static Reply error(int status, String message) {
        try {
            return Reply.of(status, OtlpEncoding.JSON.mediaType(), Json.MAPPER.writeValueAsBytes(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
