package dev.meshproof.agent.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.UnknownFieldSet;
import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.otlp.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.RequestBody;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OTLP trace receiver on 127.0.0.1, fed by the OpenTelemetry Java SDK's own exporters (OTLP/HTTP protobuf and
 * OTLP/gRPC, plain and gzip; OTLP/JSON from the SDK's own JSON marshaler) and by the OTLP specification's JSON
 * example, then read back
 * with {@code GET /otlp/spans}: ids, parents, names, kinds, attributes, links, resource and scope must come back
 * exactly. Malformed exports are refused with the status OTLP/HTTP prescribes and a message, and change nothing.
 */
class OtlpReceiverTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final String SPEC_EXAMPLE_TRACE = "5b8efff798038103d269b633813fc60c";

    private AgentServer agent;

    @BeforeEach
    void start() throws Exception {
        agent = AgentServer.start(AgentServer.Config.loopback(0, 0, new AgentIdentity("collector", "ns", "sa", "v1")));
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    // ---- senders -------------------------------------------------------------------------------------------

    /** A trace made by the SDK: a server span with a client child that links to another trace. */
    private static List<SpanData> sdkTrace(String service) {
        List<SpanData> finished = new CopyOnWriteArrayList<>();
        SpanExporter keep = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(SERVICE_NAME, service)))
                .addSpanProcessor(SimpleSpanProcessor.create(keep)).build()) {
            Tracer tracer = provider.get("meshproof-test", "1.2.3");
            Span server = tracer.spanBuilder("GET /echo").setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", "GET")
                    .setAttribute(AttributeKey.longKey("http.response.status_code"), 200L)
                    .setAttribute(AttributeKey.booleanKey("meshproof.sampled"), true)
                    .setAttribute(AttributeKey.doubleKey("meshproof.weight"), 0.25)
                    .startSpan();
            try (Scope ignored = server.makeCurrent()) {
                SpanContext elsewhere = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
                tracer.spanBuilder("outbound echo.ns.svc.cluster.local:80/*").setSpanKind(SpanKind.CLIENT)
                        .addLink(elsewhere, Attributes.of(AttributeKey.stringKey("why"), "retry"))
                        .setAttribute("upstream_cluster", "outbound|80||echo.ns.svc.cluster.local")
                        .startSpan().end();
            }
            server.end();
        }
        assertThat(finished).hasSize(2);
        return List.copyOf(finished);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + agent.httpPort() + OtlpReceiver.TRACES_PATH;
    }

    /** The SDK's two OTLP exporters. */
    enum Transport { HTTP_PROTOBUF, GRPC }

    private void export(Transport transport, List<SpanData> spans, String compression) {
        String base = "http://127.0.0.1:" + agent.httpPort();
        SpanExporter exporter = switch (transport) {
            case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint()).setCompression(compression)
                    .setTimeout(Duration.ofSeconds(10)).build();
            case GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(base).setCompression(compression)
                    .setTimeout(Duration.ofSeconds(10)).build();
        };
        try (exporter) {
            CompletableResultCode result = exporter.export(spans).join(15, TimeUnit.SECONDS);
            assertThat(result.isSuccess()).as("SDK export over %s (%s): %s", transport, compression,
                    result.getFailureThrowable()).isTrue();
        }
    }

    /** A gRPC-shaped request over cleartext HTTP/2 with any path, content type and DATA, and what came back. */
    private record H2Answer(int status, String grpcStatus, String grpcMessage, String body) {
    }

    private H2Answer h2(String path, String contentType, byte[] data) throws IOException {
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        okhttp3.Request request = new okhttp3.Request.Builder().url("http://127.0.0.1:" + agent.httpPort() + path)
                .header("te", "trailers").post(RequestBody.create(data, MediaType.get(contentType))).build();
        try (okhttp3.Response response = client.newCall(request).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            String body = response.body().string();
            okhttp3.Headers trailers = response.trailers();
            String status = response.header("grpc-status", trailers.get("grpc-status"));
            String message = response.header("grpc-message", trailers.get("grpc-message"));
            return new H2Answer(response.code(), status, message, body);
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static byte[] grpcFrame(byte[] message) {
        byte[] framed = new byte[5 + message.length];
        framed[1] = (byte) (message.length >>> 24);
        framed[2] = (byte) (message.length >>> 16);
        framed[3] = (byte) (message.length >>> 8);
        framed[4] = (byte) message.length;
        System.arraycopy(message, 0, framed, 5, message.length);
        return framed;
    }

    private static byte[] sdkJson(List<SpanData> spans) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeJsonTo(json);
        return json.toByteArray();
    }

    private HttpResponse<byte[]> post(String contentType, String contentEncoding, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint())).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> getSpans(String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + OtlpReceiver.SPANS_PATH + query))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode trace(String traceId) throws Exception {
        HttpResponse<String> response = getSpans("?traceId=" + traceId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return Json.MAPPER.readTree(response.body());
    }

    // ---- what came back ------------------------------------------------------------------------------------

    /** A received span with the resource and scope it was listed under. */
    private record Received(JsonNode resource, JsonNode scope, JsonNode span) {
    }

    private static List<Received> flatten(JsonNode traces) {
        List<Received> all = new ArrayList<>();
        for (JsonNode rs : traces.path("resourceSpans")) {
            for (JsonNode ss : rs.path("scopeSpans")) {
                for (JsonNode span : ss.path("spans")) {
                    all.add(new Received(rs.path("resource"), ss.path("scope"), span));
                }
            }
        }
        return all;
    }

    private static String attribute(JsonNode owner, String key) {
        for (JsonNode kv : owner.path("attributes")) {
            if (kv.path("key").asText().equals(key)) {
                return kv.path("value").toString();
            }
        }
        return null;
    }

    /** OTLP/JSON's AnyValue for an SDK attribute value (64-bit integers as strings, as protobuf's JSON mapping writes them). */
    private static String anyValue(Object value) {
        if (value instanceof String s) {
            return "{\"stringValue\":\"" + s + "\"}";
        } else if (value instanceof Long l) {
            return "{\"intValue\":\"" + l + "\"}";
        } else if (value instanceof Boolean b) {
            return "{\"boolValue\":" + b + "}";
        } else if (value instanceof Double d) {
            return "{\"doubleValue\":" + d + "}";
        }
        throw new IllegalArgumentException("no OTLP mapping in this test for " + value.getClass());
    }

    private static void assertSameSpans(List<SpanData> sent, JsonNode traces, String service) {
        List<Received> received = flatten(traces);
        assertThat(received).hasSameSizeAs(sent);
        for (SpanData s : sent) {
            Received r = received.stream().filter(x -> x.span().path("spanId").asText().equals(s.getSpanId())).findFirst()
                    .orElseThrow(() -> new AssertionError("span " + s.getSpanId() + " (" + s.getName() + ") not served: " + traces));
            JsonNode span = r.span();
            assertThat(span.path("traceId").asText()).isEqualTo(s.getTraceId());
            if (s.getParentSpanContext().isValid()) {
                assertThat(span.path("parentSpanId").asText()).isEqualTo(s.getParentSpanId());
            } else {
                assertThat(span.has("parentSpanId")).as("a root span has no parentSpanId").isFalse();
            }
            assertThat(span.path("name").asText()).isEqualTo(s.getName());
            assertThat(span.path("kind").asInt()).isEqualTo(s.getKind().ordinal() + 1); // INTERNAL=1 … CONSUMER=5
            assertThat(span.path("startTimeUnixNano").asText()).isEqualTo(Long.toString(s.getStartEpochNanos()));
            assertThat(span.path("attributes")).hasSize(s.getAttributes().size());
            s.getAttributes().forEach((key, value) -> assertThat(attribute(span, key.getKey())).as(key.getKey()).isEqualTo(anyValue(value)));
            assertThat(span.path("links")).hasSize(s.getLinks().size());
            for (int i = 0; i < s.getLinks().size(); i++) {
                assertThat(span.path("links").path(i).path("traceId").asText()).isEqualTo(s.getLinks().get(i).getSpanContext().getTraceId());
                assertThat(span.path("links").path(i).path("spanId").asText()).isEqualTo(s.getLinks().get(i).getSpanContext().getSpanId());
                assertThat(attribute(span.path("links").path(i), "why")).isEqualTo("{\"stringValue\":\"retry\"}");
            }
            assertThat(attribute(r.resource(), "service.name")).isEqualTo(anyValue(service));
            assertThat(r.scope().path("name").asText()).isEqualTo("meshproof-test");
            assertThat(r.scope().path("version").asText()).isEqualTo("1.2.3");
        }
    }

    private static String statusMessage(HttpResponse<byte[]> response) throws Exception {
        String type = response.headers().firstValue("content-type").orElse("");
        if (type.equals("application/json")) {
            JsonNode status = Json.MAPPER.readTree(response.body());
            assertThat(status.path("code").asInt()).isIn(3, 8);
            return status.path("message").asText();
        }
        assertThat(type).isEqualTo("application/x-protobuf");
        UnknownFieldSet status = UnknownFieldSet.parseFrom(response.body()); // google.rpc.Status: code = 1, message = 2
        assertThat(status.getField(1).getVarintList()).hasSize(1);
        return status.getField(2).getLengthDelimitedList().get(0).toStringUtf8();
    }

    // ---- tests ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, compression {1}")
    @CsvSource({"HTTP_PROTOBUF, none", "HTTP_PROTOBUF, gzip", "GRPC, none", "GRPC, gzip"})
    void sdkExportRoundTripsOnTheHttpPort(Transport transport, String compression) throws Exception {
        String service = "client-" + transport + "-" + compression;
        List<SpanData> spans = sdkTrace(service);
        export(transport, spans, compression);
        assertSameSpans(spans, trace(spans.get(0).getTraceId()), service);
    }

    @Test
    void malformedGrpcCallsGetAGrpcStatusAndChangeNothing() throws Exception {
        List<SpanData> before = sdkTrace("client-before");
        export(Transport.GRPC, before, "none");
        String beforeJson = getSpans("").body();
        String export = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
        byte[] garbage = "this is not a protobuf message".getBytes(StandardCharsets.US_ASCII);

        H2Answer notProtobuf = h2(export, "application/grpc", grpcFrame(garbage));
        assertThat(notProtobuf.status()).isEqualTo(200);
        assertThat(notProtobuf.grpcStatus()).isEqualTo("3"); // INVALID_ARGUMENT
        assertThat(notProtobuf.grpcMessage()).contains("body is not a protobuf ExportTraceServiceRequest");

        byte[] badLength = grpcFrame(garbage);
        badLength[4]++;
        H2Answer unframed = h2(export, "application/grpc", badLength);
        assertThat(unframed.grpcStatus()).isEqualTo("3");
        assertThat(unframed.grpcMessage()).contains("not one length-prefixed gRPC message");

        H2Answer otherMethod = h2("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "application/grpc", grpcFrame(new byte[0]));
        assertThat(otherMethod.grpcStatus()).isEqualTo("12"); // UNIMPLEMENTED
        assertThat(otherMethod.grpcMessage()).contains("unknown method");

        H2Answer notGrpc = h2("/echo", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(notGrpc.status()).isEqualTo(415);
        assertThat(notGrpc.body()).contains("OTLP/gRPC");

        assertThat(getSpans("").body()).as("refused calls stored nothing, lost nothing").isEqualTo(beforeJson);
        List<SpanData> after = sdkTrace("client-after");
        export(Transport.GRPC, after, "gzip");
        assertSameSpans(after, trace(after.get(0).getTraceId()), "client-after");
        assertSameSpans(before, trace(before.get(0).getTraceId()), "client-before");
    }

    @Test
    void sdkOtlpJsonRoundTripsAndIsAnsweredInJson() throws Exception {
        List<SpanData> spans = sdkTrace("client-json");
        HttpResponse<byte[]> response = post("application/json", null, sdkJson(spans));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}"); // an ExportTraceServiceResponse, all fields unset
        assertSameSpans(spans, trace(spans.get(0).getTraceId()), "client-json");
    }

    @Test
    void gzipOtlpJsonIsAccepted() throws Exception {
        List<SpanData> spans = sdkTrace("client-json-gz");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(sdkJson(spans));
        }
        assertThat(post("application/json; charset=utf-8", "gzip", gz.toByteArray()).statusCode()).isEqualTo(200);
        assertSameSpans(spans, trace(spans.get(0).getTraceId()), "client-json-gz");
    }

    @Test
    void theSpecificationsJsonExampleWithUpperCaseIdsIsServedBackWithLowerCaseIds() throws Exception {
        byte[] example;
        try (InputStream in = getClass().getResourceAsStream("/upstream/otlp-trace-example.json")) {
            example = in.readAllBytes();
        }
        assertThat(post("application/json", null, example).statusCode()).isEqualTo(200);

        JsonNode served = trace(SPEC_EXAMPLE_TRACE.toUpperCase(Locale.ROOT)); // the query takes either case too
        List<Received> spans = flatten(served);
        assertThat(spans).hasSize(1);
        JsonNode span = spans.get(0).span();
        assertThat(span.path("traceId").asText()).isEqualTo(SPEC_EXAMPLE_TRACE);
        assertThat(span.path("spanId").asText()).isEqualTo("eee19b7ec3c1b174");
        assertThat(span.path("parentSpanId").asText()).isEqualTo("eee19b7ec3c1b173");
        assertThat(span.path("name").asText()).isEqualTo("I'm a server span");
        assertThat(span.path("kind").asInt()).isEqualTo(2);
        assertThat(span.path("endTimeUnixNano").asText()).isEqualTo("1544712661000000000");
        assertThat(attribute(span, "my.span.attr")).isEqualTo("{\"stringValue\":\"some value\"}");
        assertThat(attribute(spans.get(0).resource(), "service.name")).isEqualTo("{\"stringValue\":\"my.service\"}");
        assertThat(attribute(spans.get(0).scope(), "my.scope.attribute")).isEqualTo("{\"stringValue\":\"some scope attribute\"}");
    }

    @Test
    void onlyTheAskedTraceIsServedAndAllWithoutATraceId() throws Exception {
        List<SpanData> a = sdkTrace("client-a");
        List<SpanData> b = sdkTrace("client-b");
        export(Transport.HTTP_PROTOBUF, a, "none");
        export(Transport.HTTP_PROTOBUF, b, "none");

        assertSameSpans(a, trace(a.get(0).getTraceId()), "client-a");
        assertSameSpans(b, trace(b.get(0).getTraceId()), "client-b");
        assertThat(getSpans("?traceId=4bf92f3577b34da6a3ce929d0e0e4736").body()).isEqualTo("{}");
        HttpResponse<String> all = getSpans("");
        assertThat(flatten(Json.MAPPER.readTree(all.body()))).hasSize(4);
        assertThat(Json.MAPPER.readTree(all.body()).path("resourceSpans")).as("one entry per resource").hasSize(2);
    }

    @Test
    void malformedExportsAreRefusedWithAReasonAndChangeNothing() throws Exception {
        List<SpanData> before = sdkTrace("client-before");
        export(Transport.HTTP_PROTOBUF, before, "none");
        String beforeJson = getSpans("").body();
        ByteArrayOutputStream protobuf = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(before).writeBinaryTo(protobuf);
        byte[] valid = protobuf.toByteArray();

        record Bad(String what, String type, String encoding, byte[] body, int status, String message) {
        }
        byte[] notHex = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5B8EFFF798038103D269B633813FC6ZZ\",\"spanId\":\"EEE19B7EC3C1B174\",\"name\":\"x\"}]}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] shortId = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5B8EFFF798038103D269B633813FC6\",\"spanId\":\"EEE19B7EC3C1B174\",\"name\":\"x\"}]}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        List<Bad> bad = List.of(
                new Bad("garbage protobuf", "application/x-protobuf", null, "this is not a protobuf message".getBytes(StandardCharsets.US_ASCII),
                        400, "body is not a protobuf ExportTraceServiceRequest"),
                new Bad("truncated protobuf", "application/x-protobuf", null, Arrays.copyOf(valid, valid.length / 2),
                        400, "body is not a protobuf ExportTraceServiceRequest"),
                new Bad("non-hex traceId", "application/json", null, notHex, 400, "resourceSpans[0].scopeSpans[0].spans[0].traceId"),
                new Bad("30-digit traceId", "application/json", null, shortId, 400, "traceId has 15 bytes"),
                new Bad("empty JSON body", "application/json", null, new byte[0], 400, "body is empty"),
                new Bad("corrupt gzip", "application/x-protobuf", "gzip", valid, 400, "not valid gzip"),
                new Bad("unknown content coding", "application/x-protobuf", "br", valid, 415, "unsupported Content-Encoding \"br\""));
        for (Bad b : bad) {
            HttpResponse<byte[]> response = post(b.type(), b.encoding(), b.body());
            assertThat(response.statusCode()).as(b.what()).isEqualTo(b.status());
            assertThat(response.headers().firstValue("content-type")).as(b.what()).hasValue(b.type());
            assertThat(statusMessage(response)).as(b.what()).contains(b.message());
        }
        HttpResponse<byte[]> wrongType = post("text/plain", null, valid);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(new String(wrongType.body(), StandardCharsets.UTF_8))
                .contains("unsupported Content-Type \"text/plain\"", "application/x-protobuf", "application/json");
        HttpResponse<byte[]> noType = post(null, null, new byte[0]);
        assertThat(noType.statusCode()).isEqualTo(415);
        assertThat(new String(noType.body(), StandardCharsets.UTF_8)).contains("unsupported Content-Type (none)");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);

        assertThat(getSpans("").body()).as("refused exports stored nothing, lost nothing").isEqualTo(beforeJson);
        HttpResponse<String> all = getSpans("");
        assertThat(all.headers().firstValue(OtlpReceiver.HEADER_REJECTED)).hasValue(Integer.toString(bad.size() + 2));
        assertThat(all.headers().firstValue(OtlpReceiver.HEADER_RECEIVED)).hasValue("2");

        List<SpanData> after = sdkTrace("client-after");
        export(Transport.HTTP_PROTOBUF, after, "gzip");
        assertSameSpans(after, trace(after.get(0).getTraceId()), "client-after");
        assertSameSpans(before, trace(before.get(0).getTraceId()), "client-before");
    }

    @Test
    void oversizedExportsAre413BeforeAndAfterGzip() throws Exception {
        HttpResponse<byte[]> sent = post("application/x-protobuf", null, new byte[1024 * 1024 + 1]);
        assertThat(sent.statusCode()).as("over the port's 1 MiB request limit").isEqualTo(413);

        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
            out.write(new byte[20 * 1024 * 1024 + 1]);
        }
        HttpResponse<byte[]> inflated = post("application/x-protobuf", "gzip", bomb.toByteArray());
        assertThat(inflated.statusCode()).as("%d gzip bytes, 20 MiB + 1 inflated", bomb.size()).isEqualTo(413);
        assertThat(statusMessage(inflated)).contains("larger than 20971520 bytes decompressed");
        assertThat(flatten(Json.MAPPER.readTree(getSpans("").body()))).isEmpty();
    }

    @Test
    void anEmptyProtobufExportIsASuccessAsTheSpecSays() throws Exception {
        HttpResponse<byte[]> response = post("application/x-protobuf", null, new byte[0]);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty(); // ExportTraceServiceResponse with nothing set
        assertThat(flatten(Json.MAPPER.readTree(getSpans("").body()))).isEmpty();
    }

    @Test
    void aMalformedTraceIdQueryIsA400() throws Exception {
        for (String traceId : List.of("xyz", "eee19b7ec3c1b174", "0".repeat(32), "")) {
            HttpResponse<String> response = getSpans("?traceId=" + traceId);
            assertThat(response.statusCode()).as(traceId).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(response.body()).path("error").asText()).as(traceId).contains("traceId");
        }
    }

    @Test
    void theStoreKeepsTheNewestSpansUpToItsBoundAndCountsTheDropped() throws Exception {
        agent.close();
        agent = AgentServer.start(AgentServer.Config.loopback(0, 0, new AgentIdentity("collector", "ns", "sa", "v1"))
                .withOtlpMaxSpans(3));
        List<SpanData> first = sdkTrace("client-1");
        List<SpanData> second = sdkTrace("client-2");
        List<SpanData> third = sdkTrace("client-3");
        export(Transport.HTTP_PROTOBUF, first, "none");
        export(Transport.HTTP_PROTOBUF, second, "none");
        export(Transport.HTTP_PROTOBUF, third, "none");

        HttpResponse<String> all = getSpans("");
        List<String> kept = flatten(Json.MAPPER.readTree(all.body())).stream().map(r -> r.span().path("spanId").asText()).toList();
        assertThat(kept).containsExactly(second.get(1).getSpanId(), third.get(0).getSpanId(), third.get(1).getSpanId());
        assertThat(all.headers().firstValue(OtlpReceiver.HEADER_RECEIVED)).hasValue("6");
        assertThat(all.headers().firstValue(OtlpReceiver.HEADER_DROPPED)).hasValue("3");
        assertThat(flatten(trace(first.get(0).getTraceId()))).isEmpty();
        assertThat(agent.otlpSpans().counts().stored()).isEqualTo(3);
    }
}
