package dev.meshproof.agent.call;

import dev.meshproof.agent.EchoReply;

/**
 * One call's result.
 *
 * @param outcome       how it ended (see {@link Outcome})
 * @param status        the HTTP status, when an HTTP response arrived
 * @param latencyMicros from the start of the call (resolve/connect, or the write on a kept-alive connection) to the complete reply or the failure
 * @param echo          what the server echoed, when the target is a Meshproof agent (its pod, namespace, service account, version, the peer address and request headers it saw)
 * @param body          the response body (first {@value #BODY_LIMIT} characters) when it is not an agent's echo, e.g. {@code RBAC: access denied}
 * @param reply         the TCP echo's reply line
 * @param error         the raw error text when the call failed (exception class and message)
 * @param sent          the headers this call was stamped with ({@code x-request-id}, {@code traceparent}) when the request asked for it
 */
public record CallResult(
        Outcome outcome,
        Integer status,
        long latencyMicros,
        EchoReply echo,
        String body,
        String reply,
        String error,
        java.util.Map<String, String> sent) {

    public static final int BODY_LIMIT = 1024;

    /** A result of an unstamped call. */
    public CallResult(Outcome outcome, Integer status, long latencyMicros, EchoReply echo, String body, String reply, String error) {
        this(outcome, status, latencyMicros, echo, body, reply, error, null);
    }

    /** This result, recording the headers the call was stamped with. */
    public CallResult stamped(java.util.Map<String, String> headers) {
        return headers.isEmpty() ? this : new CallResult(outcome, status, latencyMicros, echo, body, reply, error, headers);
    }

    static CallResult failed(Outcome outcome, long latencyMicros, String error) {
        return new CallResult(outcome, null, latencyMicros, null, null, null, error);
    }
}
