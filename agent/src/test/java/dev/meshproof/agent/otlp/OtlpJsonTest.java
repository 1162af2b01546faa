package dev.meshproof.agent.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.meshproof.agent.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hex-id step of OTLP/JSON, both ways, on the specification's own example and on the ways ids can be wrong. */
class OtlpJsonTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static final String PARENT = "eee19b7ec3c1b173";

    static byte[] upstreamExample() throws IOException {
        try (InputStream in = OtlpJsonTest.class.getResourceAsStream("/upstream/otlp-trace-example.json")) {
            return in.readAllBytes();
        }
    }

    private static ByteString hex(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static String request(String traceId, String spanId, String extra) {
        return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId
                + "\",\"name\":\"s\"" + extra + "}]}]}]}";
    }

    private static ExportTraceServiceRequest parse(String json) throws OtlpRejection {
        ExportTraceServiceRequest request = OtlpJson.parseRequest(json.getBytes(StandardCharsets.UTF_8));
        SpanIds.validate(request);
        return request;
    }

    @Test
    void specExampleWithUpperCaseHexIdsParsesToTheSameBytes() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseRequest(upstreamExample());
        SpanIds.validate(request);

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(hex(TRACE));
        assertThat(span.getSpanId()).isEqualTo(hex(SPAN));
        assertThat(span.getParentSpanId()).isEqualTo(hex(PARENT));
        assertThat(span.getName()).isEqualTo("I'm a server span");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getAttributes(0).getKey()).isEqualTo("my.span.attr");
        assertThat(span.getAttributes(0).getValue().getStringValue()).isEqualTo("some value");
        assertThat(request.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("my.service");
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("my.library");
    }

    @Test
    void printsIdsAsLowerCaseHexEnumsAsNumbersAndReadsItsOwnOutputBack() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseRequest(upstreamExample());
        TracesData traces = TracesData.newBuilder().addAllResourceSpans(request.getResourceSpansList()).build();

        String printed = OtlpJson.print(traces);
        JsonNode span = Json.MAPPER.readTree(printed).at("/resourceSpans/0/scopeSpans/0/spans/0");
        assertThat(span.get("traceId").asText()).isEqualTo(TRACE);
        assertThat(span.get("spanId").asText()).isEqualTo(SPAN);
        assertThat(span.get("parentSpanId").asText()).isEqualTo(PARENT);
        assertThat(span.get("kind").isInt()).isTrue();
        assertThat(span.get("kind").asInt()).isEqualTo(2);
        assertThat(span.get("startTimeUnixNano").asText()).isEqualTo("1544712660000000000");
        assertThat(OtlpJson.parseRequest(printed.getBytes(StandardCharsets.UTF_8))).isEqualTo(request);
    }

    @Test
    void idsOfAnyCaseAreTheSameIds() throws Exception {
        Span lower = parse(request(TRACE, SPAN, "")).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        Span upper = parse(request(TRACE.toUpperCase(), SPAN.toUpperCase(), "")).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        Span mixed = parse(request("5B8efff798038103D269b633813FC60c", "EEE19b7ec3c1B174", "")).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(lower.getTraceId()).isEqualTo(hex(TRACE)).isEqualTo(upper.getTraceId()).isEqualTo(mixed.getTraceId());
        assertThat(lower.getSpanId()).isEqualTo(hex(SPAN)).isEqualTo(upper.getSpanId()).isEqualTo(mixed.getSpanId());
    }

    @Test
    void linkIdsAreHexToo() throws Exception {
        Span span = parse(request(TRACE, SPAN, ",\"links\":[{\"traceId\":\"0AF7651916CD43DD8448EB211C80319C\",\"spanId\":\"B7AD6B7169203331\"}]"))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getLinks(0).getTraceId()).isEqualTo(hex("0af7651916cd43dd8448eb211c80319c"));
        assertThat(span.getLinks(0).getSpanId()).isEqualTo(hex("b7ad6b7169203331"));
        String printed = OtlpJson.print(TracesData.newBuilder().addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span))).build());
        assertThat(Json.MAPPER.readTree(printed).at("/resourceSpans/0/scopeSpans/0/spans/0/links/0/traceId").asText())
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void enumNamesSixtyFourBitNumbersAndUnknownFieldsAreAccepted() throws Exception {
        Span span = parse(request(TRACE, SPAN, ",\"kind\":\"SPAN_KIND_CLIENT\",\"startTimeUnixNano\":1544712660000000000,"
                + "\"status\":{\"code\":\"STATUS_CODE_ERROR\"},\"someFutureField\":{\"x\":1}"))
                .getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    }

    @Test
    void aNonHexIdIsRefusedNamingTheField() {
        assertThatThrownBy(() -> parse(request("5B8EFFF798038103D269B633813FC60Z", SPAN, "")))
                .isInstanceOf(OtlpRejection.class)
                .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId")
                .hasMessageContaining("is not hex");
        assertThatThrownBy(() -> parse(request(TRACE, SPAN, ",\"parentSpanId\":\"eee19b7ec3c1b17\"")))
                .isInstanceOf(OtlpRejection.class)
                .hasMessageContaining("spans[0].parentSpanId").hasMessageContaining("odd number of hex digits");
    }

    @Test
    void aBase64IdAsProtobufsOwnJsonMappingWritesItIsRefused() {
        // W4//95gDgQPSabYzgT/GDA== is TRACE in base64: valid proto3 JSON, not OTLP/JSON.
        assertThatThrownBy(() -> parse(request("W4//95gDgQPSabYzgT/GDA==", SPAN, "")))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("traceId").hasMessageContaining("not hex");
    }

    @Test
    void idsOfTheWrongLengthOrAllZeroesOrMissingAreRefused() {
        assertThatThrownBy(() -> parse(request(TRACE.substring(2), SPAN, "")))
                .isInstanceOf(OtlpRejection.class)
                .hasMessageContaining("spans[0].traceId has 15 bytes (30 hex digits); OTLP requires 16 bytes (32 hex digits)");
        assertThatThrownBy(() -> parse(request(TRACE, SPAN + "00", "")))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("spans[0].spanId has 9 bytes");
        assertThatThrownBy(() -> parse(request("0".repeat(32), SPAN, "")))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("traceId is all zeroes");
        assertThatThrownBy(() -> parse(request("", SPAN, "")))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("traceId has 0 bytes");
        assertThatThrownBy(() -> parse("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE + "\"}]}]}]}"))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("spans[0].spanId has 0 bytes");
    }

    @Test
    void malformedJsonIsRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(OtlpRejection.class).hasMessageContaining("body is empty");
        assertThatThrownBy(() -> parse("{\"resourceSpans\":[")).isInstanceOf(OtlpRejection.class).hasMessageContaining("body is not JSON");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(OtlpRejection.class).hasMessageContaining("not an ExportTraceServiceRequest object");
        assertThatThrownBy(() -> parse("{\"resourceSpans\":{\"x\":1}}"))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("not an OTLP/JSON ExportTraceServiceRequest");
        assertThatThrownBy(() -> parse(request(TRACE, SPAN, ",\"startTimeUnixNano\":\"soon\"")))
                .isInstanceOf(OtlpRejection.class).hasMessageContaining("not an OTLP/JSON ExportTraceServiceRequest");
    }

    @Test
    void getTakesATraceIdOfEitherCaseAndNothingElse() {
        assertThat(SpanIds.traceId(TRACE.toUpperCase())).isEqualTo(hex(TRACE));
        assertThatThrownBy(() -> SpanIds.traceId("xyz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanIds.traceId(SPAN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 hex digits");
        assertThatThrownBy(() -> SpanIds.traceId("0".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }
}
