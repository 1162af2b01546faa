package dev.meshproof.verdict;

import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.ZtunnelLog;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges ztunnel's access log (see {@link ZtunnelLog} for the formats) by identity, never by position: a record
 * counts for a workload only when its identity or its namespace and pod name say it is that workload's.
 */
public final class ZtunnelAccessLog {
    private ZtunnelAccessLog() {
    }

    /**
     * The server's ztunnel logged the client's connections as mutual TLS: an inbound access record without error
     * whose {@code src.identity} is the client's SPIFFE URI and {@code dst.identity} the server's (legacy: an
     * {@code inbound{peer_id=<client>}} CONNECT to a server pod's address). A record of the pair without
     * {@code src.identity} (plaintext): FAIL. Nothing of the pair: INCONCLUSIVE.
     */
    public static Verdict mutualTls(Evidence evidence, String clientWorkload, String serverWorkload) {
        CheckFacts.WorkloadFact client = evidence.facts().workload(clientWorkload);
        CheckFacts.WorkloadFact server = evidence.facts().workload(serverWorkload);
        Principal c = new Principal(client.namespace(), client.serviceAccount());
        Principal s = new Principal(server.namespace(), server.serviceAccount());
        int proven = 0;
        List<String> plaintext = new ArrayList<>();
        for (Record r : records(evidence)) {
            ZtunnelLog.Entry e = r.entry();
            if (e.access() && "inbound".equals(e.field("direction"))) {
                if (isWorkload(e, "src", client) && isWorkload(e, "dst", server) && e.field("src.identity") == null) {
                    plaintext.add(r.pod() + ": " + e.time()); // with or without an error: the pair spoke plaintext
                } else if (e.field("error") == null && c.matches(e.field("src.identity")) && s.matches(e.field("dst.identity"))) {
                    proven++;
                }
            } else if (e.legacyInbound() && c.matches(e.field("peer_id")) && e.text().contains("got CONNECT request to")
                    && server.pods().stream().anyMatch(p -> p.ip() != null && e.text().contains(" to " + p.ip() + ":"))) {
                proven++;
            }
        }
        if (!plaintext.isEmpty()) {
            return Verdict.fail("ztunnel access log: " + plaintext.size() + " inbound connection(s) from " + clientWorkload + " to "
                    + serverWorkload + " logged without src.identity (plaintext): " + plaintext);
        }
        if (proven == 0) {
            return Verdict.inconclusive("ztunnel access log: no inbound record with src.identity=" + c + " and dst.identity=" + s
                    + " in " + evidence.logs().size() + " ztunnel log(s) of the check's window");
        }
        return Verdict.pass("ztunnel access log: " + proven + " inbound connection(s) logged with src.identity=" + c + " and dst.identity=" + s);
    }

    /**
     * ztunnel logged a policy rejection of {@code clientWorkload}'s connections: matched by its SPIFFE identity when
     * the client is in the mesh, by its namespace and pod name when it is a plaintext client (no identity), never by
     * order. None: INCONCLUSIVE.
     */
    public static Verdict rejected(Evidence evidence, String clientWorkload) {
        CheckFacts.WorkloadFact client = evidence.facts().workload(clientWorkload);
        Principal c = new Principal(client.namespace(), client.serviceAccount());
        int rejected = 0;
        String example = null;
        for (Record r : records(evidence)) {
            ZtunnelLog.Entry e = r.entry();
            if (!e.policyRejection()) {
                continue;
            }
            boolean ours = e.legacyInbound() ? c.matches(e.field("peer_id"))
                    : c.matches(e.field("src.identity")) || e.field("src.identity") == null && isWorkload(e, "src", client);
            if (ours) {
                rejected++;
                example = example == null ? e.field("error") != null ? e.field("error") : "RBAC rejected" : example;
            }
        }
        if (rejected == 0) {
            return Verdict.inconclusive("ztunnel access log: no policy rejection of " + clientWorkload + " (" + c + ") in "
                    + evidence.logs().size() + " ztunnel log(s) of the check's window");
        }
        return Verdict.pass("ztunnel access log: " + rejected + " connection(s) of " + clientWorkload + " closed by policy (" + example + ")");
    }

    private record Record(String pod, ZtunnelLog.Entry entry) {
    }

    private static List<Record> records(Evidence evidence) {
        List<Record> out = new ArrayList<>();
        for (LogCapture log : evidence.logs()) {
            ZtunnelLog.parse(log.text()).forEach(e -> out.add(new Record(log.pod(), e)));
        }
        return out;
    }

    /** {@code src.namespace}/{@code src.workload} (a pod name) name one of the workload's pods. */
    private static boolean isWorkload(ZtunnelLog.Entry e, String side, CheckFacts.WorkloadFact w) {
        String ns = e.field(side + ".namespace");
        String pod = e.field(side + ".workload");
        return w.namespace().equals(ns) && pod != null && w.pods().stream().anyMatch(p -> pod.equals(p.name()));
    }
}
