package dev.meshproof.agent.otlp;

import java.util.Locale;
import java.util.Optional;

/**
 * OTLP/HTTP's two payload encodings. The request's {@code Content-Type} picks one and the response uses the same
 * (open-telemetry/opentelemetry-proto@v1.11.0:docs/specification.md, "Binary Protobuf Encoding", "JSON Protobuf
 * Encoding", "OTLP/HTTP Response").
 */
public enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String mediaType;

    OtlpEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The encoding a {@code Content-Type} header names (parameters such as {@code charset} ignored), if any. */
    public static Optional<OtlpEncoding> ofContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (OtlpEncoding e : values()) {
            if (e.mediaType.equals(type)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
