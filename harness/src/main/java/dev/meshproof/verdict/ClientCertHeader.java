package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.Probe;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges the {@code X-Forwarded-Client-Cert} header a sidecar's Envoy adds for a request it received over mutual
 * TLS: {@code By=<server's URI>;Hash=…;Subject="";URI=<client's URI>} (Envoy's {@code forward_client_cert_details}
 * {@code APPEND_FORWARD} with {@code SANITIZE_SET}-style details; Istio's {@code check.MTLSForHTTP()} looks for this
 * header, istio/istio@1.29.6:pkg/test/framework/components/echo/check/checkers.go). Sidecar data plane only: ambient's
 * ztunnel does not add it (HBONE carries the identity).
 *
 * <p>Every {@code ok} HTTP call of {@code step} must have reached the server with the header naming the client's
 * URI (and, where present, the server's By). A call without the header: FAIL (it did not arrive over mTLS). No
 * {@code ok} HTTP call: INCONCLUSIVE.
 */
public final class ClientCertHeader {
    public static final String HEADER = "x-forwarded-client-cert";

    private ClientCertHeader() {
    }

    public static Verdict judge(Evidence evidence, Step step, String clientWorkload, String serverWorkload) {
        Principal client = MutualTlsMetrics.principal(evidence, clientWorkload);
        Principal server = MutualTlsMetrics.principal(evidence, serverWorkload);
        int seen = 0;
        for (Probe p : evidence.probes(step.name())) {
            CallResponse r = p.parsedResponse();
            for (CallResult c : r.results()) {
                if (c.outcome() != Outcome.OK || c.echo() == null) {
                    continue;
                }
                seen++;
                String xfcc = c.echo().header(HEADER);
                if (xfcc == null) {
                    return Verdict.fail("X-Forwarded-Client-Cert: the server saw none on a call of '" + step.name()
                            + "' (calls.jsonl #" + p.seq() + "): the request did not arrive over mutual TLS");
                }
                String problem = problem(xfcc, client, server);
                if (problem != null) {
                    return Verdict.fail("X-Forwarded-Client-Cert on '" + step.name() + "' (calls.jsonl #" + p.seq() + "): " + problem + ": " + xfcc);
                }
            }
        }
        if (seen == 0) {
            return Verdict.inconclusive("X-Forwarded-Client-Cert: no HTTP call of '" + step.name() + "' reached the server");
        }
        return Verdict.pass("X-Forwarded-Client-Cert: all " + seen + " calls reached the server with URI=" + client + " (and By=" + server + ")");
    }

    /** Null when the last element (the hop into the server) names the client as URI and the server as By. */
    static String problem(String xfcc, Principal client, Principal server) {
        List<String> elements = split(xfcc, ',');
        String last = elements.get(elements.size() - 1);
        String uri = null;
        String by = null;
        for (String pair : split(last, ';')) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = pair.substring(0, eq).strip();
            String value = unquote(pair.substring(eq + 1).strip());
            if (key.equalsIgnoreCase("URI")) {
                uri = value;
            } else if (key.equalsIgnoreCase("By")) {
                by = value;
            }
        }
        if (!client.matches(uri)) {
            return "URI is " + uri + ", not the client " + client;
        }
        if (by != null && !server.matches(by)) {
            return "By is " + by + ", not the server " + server;
        }
        return null;
    }

    /** Splits on {@code sep} outside double quotes. */
    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
