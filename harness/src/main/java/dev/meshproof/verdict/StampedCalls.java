package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The calls a step made, one by one, with what each was stamped with: its {@code x-request-id} and W3C
 * {@code traceparent} (the agent's stamp, recorded in the result's {@code sent}, or the header the check set explicitly,
 * e.g. an unsampled traceparent). L7 evidence (spans, access-log records) is matched to a call by these ids, never by
 * order or time.
 */
public final class StampedCalls {

    /**
     * One call.
     *
     * @param host the Service host called ({@code echo.<ns>.svc.cluster.local})
     */
    public record Call(String step, String method, String host, int port, String path, CallResult result, String requestId, String traceparent) {
        /** The traceparent's trace id (32 lower-case hex), or null without a well-formed traceparent. */
        public String traceId() {
            String[] p = traceparent == null ? new String[0] : traceparent.toLowerCase(Locale.ROOT).split("-");
            return p.length == 4 && p[1].matches("[0-9a-f]{32}") ? p[1] : null;
        }

        /** The traceparent's parent id: the span id the client sent (16 lower-case hex), or null. */
        public String parentId() {
            String[] p = traceparent == null ? new String[0] : traceparent.toLowerCase(Locale.ROOT).split("-");
            return p.length == 4 && p[2].matches("[0-9a-f]{16}") ? p[2] : null;
        }

        /** Whether the traceparent asks for sampling (flags with bit 0 set). */
        public boolean sampled() {
            String[] p = traceparent == null ? new String[0] : traceparent.split("-");
            return p.length == 4 && p[3].matches("[0-9a-fA-F]{2}") && (Integer.parseInt(p[3], 16) & 1) == 1;
        }

        /** The HTTP status received, or null when none. */
        public Integer status() {
            return result.status();
        }

        public String describe() {
            return method + " " + host + ":" + port + path + " (x-request-id " + requestId + ")";
        }
    }

    private StampedCalls() {
    }

    /** Every call of every probe of {@code step}, in the order made. */
    public static List<Call> of(Evidence e, String step) {
        List<Call> out = new ArrayList<>();
        for (Probe p : e.probes(step)) {
            CallRequest req = p.request();
            URI url = URI.create(req.url());
            Map<String, String> explicit = req.headers() == null ? Map.of() : req.headers();
            for (CallResult r : p.parsedResponse().results()) {
                Map<String, String> sent = r.sent() == null ? Map.of() : r.sent();
                out.add(new Call(step, req.method() == null ? "GET" : req.method(), url.getHost(), url.getPort(), url.getPath(), r,
                        header(sent, explicit, "x-request-id"), header(sent, explicit, "traceparent")));
            }
        }
        return out;
    }

    private static String header(Map<String, String> sent, Map<String, String> explicit, String name) {
        for (Map<String, String> m : List.of(sent, explicit)) {
            for (Map.Entry<String, String> h : m.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
        }
        return null;
    }
}
