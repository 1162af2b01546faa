package dev.meshproof.agent;

import java.util.List;
import java.util.Map;

/**
 * What the echo endpoint answers: the request as the server saw it, and who the server is.
 * Header names are lower case; a header sent several times keeps every value in order.
 * {@code padding} only fills the body up to the requested {@code size}.
 */
public record EchoReply(
        String method,
        String path,
        String query,
        String protocol,
        Map<String, List<String>> headers,
        String pod,
        String namespace,
        String serviceAccount,
        String version,
        String peerAddress,
        Integer peerPort,
        String padding) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers == null ? null : headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
