package dev.meshproof.agent.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How one call ended, as the client saw it. The one vocabulary the agent, the harness's checks and the
 * benchmark code share; the JSON name is the lower-case wire name.
 *
 * <p>Why so many kinds of failure: a mesh denies in different ways, and a check must tell them apart.
 * ztunnel's L4 deny reaches the client as a reset or a clean close with no reply; a waypoint's L7 deny is
 * HTTP 403 {@code RBAC: access denied}; an L4 deny behind a waypoint reaches an HTTP client as 503
 * (istio/istio@1.29.6:tests/integration/ambient/baseline_test.go {@code CheckDeny},
 * tests/integration/security/authz_test.go; istio/ztunnel@1.29.6:src/proxy/inbound.rs).
 */
public enum Outcome {
    /** An HTTP response with status below 400, or the TCP echo's reply line. */
    OK("ok"),
    /** An HTTP response with status 400 or above (the status and the body are in the result). */
    HTTP_ERROR("http_error"),
    /** The connection was refused: nothing listens on the port (TCP RST answering the SYN). */
    REFUSED("refused"),
    /** The peer reset an established connection (RST), also a write hitting it ("Broken pipe"), e.g. ztunnel denying at L4. */
    RESET("reset"),
    /** The peer closed the connection cleanly (FIN) before a complete reply. */
    CLOSED("closed"),
    /** No connection or no complete reply within the call's timeout. */
    TIMEOUT("timeout"),
    /** The host name did not resolve. */
    DNS_ERROR("dns_error"),
    /** The TLS handshake or TLS record layer failed. */
    TLS_ERROR("tls_error"),
    /** Anything else (a malformed response, an unreachable network); the result's error text says what. */
    OTHER("other");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Outcome fromWireName(String name) {
        for (Outcome o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + name + "'; known: " + allWireNames());
    }

    /** The outcome of a complete HTTP response: {@code ok} below 400, {@code http_error} from 400 (redirects are not followed). */
    public static Outcome ofHttpStatus(int status) {
        return status < 400 ? OK : HTTP_ERROR;
    }

    public static String allWireNames() {
        return Arrays.stream(values()).map(Outcome::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
