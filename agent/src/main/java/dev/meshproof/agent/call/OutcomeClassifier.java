package dev.meshproof.agent.call;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Maps what {@link java.net.Socket} threw to an {@link Outcome}. Socket-level causes win over TLS wrappers:
 * a reset during a TLS handshake is a reset, not a TLS error.
 */
final class OutcomeClassifier {
    private OutcomeClassifier() {
    }

    static Outcome classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Outcome o = socketLevel(t);
            if (o != null) {
                return o;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return Outcome.TLS_ERROR;
            }
        }
        return Outcome.OTHER;
    }

    private static Outcome socketLevel(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof PeerClosedException) {
            return Outcome.CLOSED;
        }
        if (t instanceof UnknownHostException) {
            return Outcome.DNS_ERROR;
        }
        if (t instanceof SocketTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (t instanceof ConnectException) {
            // Linux: "Connection refused" for an RST to the SYN; "Connection timed out" when SYNs go unanswered.
            if (msg.contains("refused")) {
                return Outcome.REFUSED;
            }
            if (msg.contains("timed out")) {
                return Outcome.TIMEOUT;
            }
            return null;
        }
        if (t instanceof SocketException
                && (msg.contains("connection reset") || msg.contains("broken pipe"))) {
            // "Broken pipe": our write hit a connection the peer had already reset.
            return Outcome.RESET;
        }
        return null;
    }

    /** The raw error text: each exception in the cause chain as "Class: message". */
    static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
