package dev.meshproof.evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ztunnel's log lines as records, in both formats it has written:
 * <ul>
 *   <li>current (1.22 and later): {@code <time>\tinfo\taccess\tconnection complete\tsrc.addr=… src.identity="spiffe://…"
 *       dst.identity="…" direction="inbound" … [error="…"]}, one access record per connection
 *       ({@code istio/ztunnel@1.29.6:src/proxy/metrics.rs}, README.md "Logging"); istio.io also shows it wrapped
 *       over several indented lines, which are joined here;</li>
 *   <li>legacy (1.21 and earlier): {@code <time>  INFO inbound{id=… peer_ip=… peer_id=spiffe://…}: ztunnel::proxy::inbound:
 *       got CONNECT request to <ip:port>} and {@code … RBAC rejected conn=…}.</li>
 * </ul>
 * Fields are {@code key=value} or {@code key="quoted value"}; a record starts at a line beginning with an RFC 3339 time.
 */
public final class ZtunnelLog {
    private static final Pattern RECORD_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+\\s");
    private static final Pattern FIELD = Pattern.compile("(?<=^|[\\s{,(])([A-Za-z_][\\w.]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^\\s},]+)");

    /**
     * @param time      the record's timestamp as written
     * @param level     {@code info}, {@code error}, … (lower-cased)
     * @param access    true for a current-format access record ({@code access … connection complete})
     * @param legacyInbound true for a legacy {@code inbound{…}} span line
     * @param fields    every key=value, unquoted
     * @param text      the whole record
     */
    public record Entry(String time, String level, boolean access, boolean legacyInbound, Map<String, String> fields, String text) {
        public String field(String key) {
            return fields.get(key);
        }

        /** The connection was closed by policy (current format {@code error="connection closed due to policy rejection: …"}, legacy {@code RBAC rejected}). */
        public boolean policyRejection() {
            String error = fields.get("error");
            return error != null && error.contains("policy rejection") || legacyInbound && text.contains("RBAC rejected");
        }
    }

    private ZtunnelLog() {
    }

    public static List<Entry> parse(String text) {
        List<String> records = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\\r?\\n")) {
            if (RECORD_START.matcher(line).find()) {
                if (current != null) {
                    records.add(current.toString());
                }
                current = new StringBuilder(line);
            } else if (current != null && !line.isBlank()) {
                current.append(' ').append(line.strip());
            }
        }
        if (current != null) {
            records.add(current.toString());
        }
        List<Entry> out = new ArrayList<>();
        for (String r : records) {
            String[] head = r.split("[\\t ]+", 4);
            String level = head.length > 1 ? head[1].toLowerCase(java.util.Locale.ROOT) : "";
            String rest = head.length > 2 ? head[2] : "";
            boolean access = rest.startsWith("access") && r.contains("connection complete");
            boolean legacy = rest.startsWith("inbound{");
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(r);
            while (m.find()) {
                String v = m.group(2);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
                fields.putIfAbsent(m.group(1), v);
            }
            out.add(new Entry(head[0], level, access, legacy, fields, r));
        }
        return out;
    }
}
