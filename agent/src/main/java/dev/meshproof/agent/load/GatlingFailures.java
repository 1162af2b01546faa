package dev.meshproof.agent.load;

import dev.meshproof.agent.call.Outcome;

import java.util.Locale;

/**
 * Gatling's failure text, classified into the agent's call-API {@link Outcome}s, the one vocabulary the
 * agent, the checks and the benchmarks share. Gatling reports a failed request only as a message (see
 * {@link GatlingFailureCapture}), with abbreviated exception packages ("j.n." = java.net), so this matches
 * on the words, with the call API's meanings: a write into a connection the peer reset ("Broken pipe") is
 * {@code reset}, as in {@code OutcomeClassifier}; a clean close before the reply is {@code closed}.
 */
public final class GatlingFailures {
    private GatlingFailures() {
    }

    /**
     * Classifies the failure message Gatling logs for a request that got no response, e.g.
     * "j.n.ConnectException: Connection refused" or "Request timeout to 127.0.0.1/127.0.0.1:8080 after 10000 ms".
     */
    public static Outcome outcomeOf(String message) {
        if (message == null || message.isBlank()) {
            return Outcome.OTHER;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("timeout") || m.contains("timed out")) {
            return Outcome.TIMEOUT;
        }
        if (m.contains("connection refused")) {
            return Outcome.REFUSED;
        }
        if (m.contains("connection reset") || m.contains("reset by peer") || m.contains("broken pipe")) {
            return Outcome.RESET;
        }
        if (m.contains("unknownhost") || m.contains("unresolved") || m.contains("failed to resolve") || m.contains("dns")) {
            return Outcome.DNS_ERROR;
        }
        if (m.contains("ssl") || m.contains("tls") || m.contains("handshake") || m.contains("certificate")) {
            return Outcome.TLS_ERROR;
        }
        if (m.contains("closed") || m.contains("premature") || m.contains("eof")) {
            return Outcome.CLOSED;
        }
        if (m.contains("status.find")) {
            return Outcome.HTTP_ERROR;
        }
        return Outcome.OTHER;
    }
}
