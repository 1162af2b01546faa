package dev.meshproof.agent.load;

import java.util.Locale;

/**
 * How one request ended, in the agent's call-API vocabulary (ok, http_error, refused, reset, closed,
 * timeout, dns_error, tls_error, other).
 * <p>
 * INTEGRATION: this is the only place the load engine names outcomes. When the agent's call API enum
 * ({@code dev.meshproof.agent.call.Outcome}) is merged, replace this enum by it and keep
 * {@link #fromGatlingMessage(String)} as the mapping from Gatling's failure text.
 */
public enum LoadOutcome {
    OK, HTTP_ERROR, REFUSED, RESET, CLOSED, TIMEOUT, DNS_ERROR, TLS_ERROR, OTHER;

    /** The wire name used in result files and reports, e.g. {@code http_error}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LoadOutcome fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** 2xx and 3xx are ok (redirects are not followed); anything else answered is an HTTP error. */
    public static LoadOutcome fromStatus(int status) {
        return status >= 200 && status < 400 ? OK : HTTP_ERROR;
    }

    /**
     * Classifies the failure message Gatling logs for a request that got no response, e.g.
     * "j.n.ConnectException: Connection refused" or "Request timeout to 127.0.0.1/127.0.0.1:8080 after 10000 ms".
     * Gatling abbreviates exception packages ("j.n." = java.net), so this matches on the words.
     */
    public static LoadOutcome fromGatlingMessage(String message) {
        if (message == null || message.isBlank()) {
            return OTHER;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("timeout") || m.contains("timed out")) {
            return TIMEOUT;
        }
        if (m.contains("connection refused")) {
            return REFUSED;
        }
        if (m.contains("connection reset") || m.contains("reset by peer")) {
            return RESET;
        }
        if (m.contains("unknownhost") || m.contains("unresolved") || m.contains("failed to resolve") || m.contains("dns")) {
            return DNS_ERROR;
        }
        if (m.contains("ssl") || m.contains("tls") || m.contains("handshake") || m.contains("certificate")) {
            return TLS_ERROR;
        }
        if (m.contains("closed") || m.contains("premature") || m.contains("broken pipe") || m.contains("eof")) {
            return CLOSED;
        }
        if (m.contains("status.find")) {
            return HTTP_ERROR;
        }
        return OTHER;
    }
}
