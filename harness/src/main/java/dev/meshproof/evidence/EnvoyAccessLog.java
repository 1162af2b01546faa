package dev.meshproof.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Envoy HTTP access-log records from a proxy's log (a waypoint's or a sidecar's {@code istio-proxy} container), in
 * Istio's two default encodings, and nothing else: the container's other lines (Envoy and istio-agent messages) are
 * skipped. Records are kept with the pod that logged them and are meant to be looked up by request id, never by
 * position.
 * <ul>
 *   <li>TEXT: {@code EnvoyTextLogFormat} ({@code istio/istio@1.29.6:pilot/pkg/model/telemetry_logging.go} l.41-51; the
 *       resolved format and sample lines are in the upstream samples' README): 24 space-separated fields, the request
 *       line quoted.</li>
 *   <li>JSON: {@code EnvoyJSONLogFormatIstio} (same file, l.75-104), one object per line with keys {@code method},
 *       {@code path}, {@code response_code}, {@code response_flags}, {@code response_code_details},
 *       {@code request_id}, {@code upstream_host}, {@code upstream_cluster}, …; numbers may be numbers or strings,
 *       missing values {@code null} or {@code "-"}.</li>
 * </ul>
 */
public final class EnvoyAccessLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEXT = Pattern.compile(
            "^\\[(?<start>[^\\]]+)] \"(?<method>\\S+) (?<path>\\S+) (?<protocol>[^\"]+)\" (?<code>\\d+) (?<flags>\\S+) (?<details>\\S+) (?<termination>\\S+)"
                    + " \"(?<transport>[^\"]*)\" (?<received>\\S+) (?<sent>\\S+) (?<duration>\\S+) (?<upstreamTime>\\S+) \"(?<xff>[^\"]*)\""
                    + " \"(?<agent>[^\"]*)\" \"(?<requestId>[^\"]*)\" \"(?<authority>[^\"]*)\" \"(?<upstreamHost>[^\"]*)\" (?<cluster>\\S+)"
                    + " (?<upstreamLocal>\\S+) (?<downstreamLocal>\\S+) (?<downstreamRemote>\\S+) (?<sni>\\S+) (?<route>\\S+)$");

    /**
     * One HTTP request as a proxy logged it. Absent values ({@code -}, {@code null}) are null.
     *
     * @param pod             the proxy pod that logged it ({@code namespace/name})
     * @param responseCode    the status sent downstream (0 when none was sent)
     * @param responseFlags   Envoy's response flags, {@code -} when none
     * @param details         {@code %RESPONSE_CODE_DETAILS%} ({@code via_upstream}, {@code rbac_access_denied_matched_policy[…]})
     * @param upstreamCluster {@code %UPSTREAM_CLUSTER_RAW%}
     * @param line            the record as logged
     */
    public record Entry(String pod, String method, String path, int responseCode, String responseFlags, String details,
                        String requestId, String authority, String upstreamHost, String upstreamCluster, String line) {
    }

    private EnvoyAccessLog() {
    }

    /** The access-log records of every capture, in no order a verdict may rely on. */
    public static List<Entry> parse(List<LogCapture> captures) {
        List<Entry> out = new ArrayList<>();
        for (LogCapture c : captures) {
            out.addAll(parse(c.pod(), c.text()));
        }
        return out;
    }

    /** The access-log records among {@code text}'s lines. */
    public static List<Entry> parse(String pod, String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[")) {
                Matcher m = TEXT.matcher(l);
                if (m.matches()) {
                    out.add(new Entry(pod, value(m.group("method")), value(m.group("path")), Integer.parseInt(m.group("code")),
                            m.group("flags"), value(m.group("details")), value(m.group("requestId")), value(m.group("authority")),
                            value(m.group("upstreamHost")), value(m.group("cluster")), line));
                }
            } else if (l.startsWith("{")) {
                json(pod, l).ifPresent(out::add);
            }
        }
        return out;
    }

    private static java.util.Optional<Entry> json(String pod, String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (Exception e) {
            return java.util.Optional.empty(); // a JSON line of something else (istio-agent's own log)
        }
        if (!n.has("response_code") || !n.has("request_id")) {
            return java.util.Optional.empty();
        }
        String code = text(n, "response_code");
        return java.util.Optional.of(new Entry(pod, text(n, "method"), text(n, "path"), code == null || !code.matches("\\d+") ? 0 : Integer.parseInt(code),
                text(n, "response_flags") == null ? "-" : text(n, "response_flags"), text(n, "response_code_details"), text(n, "request_id"),
                text(n, "authority"), text(n, "upstream_host"), text(n, "upstream_cluster"), line));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : value(v.asText());
    }

    private static String value(String raw) {
        return raw == null || raw.equals("-") ? null : raw;
    }
}
