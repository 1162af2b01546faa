package dev.meshproof.agent.otlp;

import com.google.protobuf.CodedOutputStream;
import dev.meshproof.agent.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An export the receiver refuses, whole: the HTTP status, the gRPC code that goes with it, and a message naming the
 * problem. OTLP/HTTP answers every 4xx with a {@code google.rpc.Status} in the request's encoding
 * (open-telemetry/opentelemetry-proto@v1.11.0:docs/specification.md, "Failures", "Bad Data"); nothing of a refused
 * request is stored.
 */
public final class OtlpRejection extends Exception {
    /** gRPC status codes (google.rpc.Code) the receiver uses. */
    public static final int INVALID_ARGUMENT = 3;
    public static final int RESOURCE_EXHAUSTED = 8;

    private final int httpStatus;
    private final int grpcCode;

    private OtlpRejection(int httpStatus, int grpcCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
    }

    /** 400: the body cannot be decoded or is invalid (a client must not retry it). */
    static OtlpRejection badData(String message) {
        return new OtlpRejection(400, INVALID_ARGUMENT, message);
    }

    /** 413: the body is larger than the receiver accepts, after decompression. */
    static OtlpRejection tooLarge(String message) {
        return new OtlpRejection(413, RESOURCE_EXHAUSTED, message);
    }

    /** 415: a content coding the receiver does not decode (RFC 9110 §15.5.16). */
    static OtlpRejection unsupportedEncoding(String message) {
        return new OtlpRejection(415, INVALID_ARGUMENT, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int grpcCode() {
        return grpcCode;
    }

    /** The {@code google.rpc.Status} ({@code int32 code = 1; string message = 2;}) in the given encoding. */
    public byte[] status(OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? statusJson() : statusProtobuf();
    }

    private byte[] statusProtobuf() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, grpcCode);
            out.writeString(2, getMessage());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private byte[] statusJson() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("code", grpcCode);
        status.put("message", getMessage());
        try {
            return Json.MAPPER.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
