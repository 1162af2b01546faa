package dev.meshproof.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;

import java.time.Instant;

/**
 * One observation: a call-API request a check's client made, and the response exactly as the agent returned it.
 *
 * @param seq      order within the check (1, 2, …)
 * @param step     the step it belongs to (its name)
 * @param phase    {@code converge} (waiting for the step's state), {@code hold} (the state must stay), {@code once}
 * @param client   the calling workload, {@code namespace/name}
 * @param at       when the request was sent
 * @param request  what the client was asked to call
 * @param response the agent's answer (a JSON object in the call API's format)
 */
public record Probe(int seq, String step, String phase, String client, Instant at, CallRequest request, JsonNode response) {
    public static final String CONVERGE = "converge";
    public static final String HOLD = "hold";
    public static final String ONCE = "once";

    /** What this probe called (see {@link #target(CallRequest)}): its step is judged target by target. */
    public String target() {
        return target(request);
    }

    /**
     * A call's target as steps name it: the URL alone for a plain GET (so evidence written before methods and headers
     * existed reads the same), else {@code METHOD url [name: value, …]} with the explicit headers in name order.
     */
    public static String target(CallRequest request) {
        boolean plain = (request.method() == null || request.method().equals("GET")) && (request.headers() == null || request.headers().isEmpty());
        if (plain) {
            return request.url();
        }
        StringBuilder sb = new StringBuilder(request.method() == null ? "GET" : request.method()).append(' ').append(request.url());
        if (request.headers() != null && !request.headers().isEmpty()) {
            sb.append(" [");
            new java.util.TreeMap<>(request.headers()).forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ", ").append(k).append(": ").append(v));
            sb.append(']');
        }
        return sb.toString();
    }

    /** The response parsed with the agent's own types; a response that does not parse is malformed evidence. */
    public CallResponse parsedResponse() {
        return EvidenceJson.callResponse(response);
    }
}
