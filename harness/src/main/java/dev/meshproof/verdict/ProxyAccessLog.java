package dev.meshproof.verdict;

import dev.meshproof.evidence.EnvoyAccessLog;
import dev.meshproof.evidence.EnvoyAccessLog.Entry;
import dev.meshproof.evidence.Evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Judges the L7 proxies' HTTP access logs (waypoint in ambient, sidecars otherwise; parsed by {@link EnvoyAccessLog}) for
 * the check's requests, each found by the {@code x-request-id} it was stamped with — never by line order or time.
 *
 * <p>Per request: ambient, exactly one record (the waypoint's); sidecars, exactly two (the client's outbound record and
 * the server's inbound one, Istio's sample lines {@code envoy-access-log-default-text-client/server.txt}). Each record has
 * the status the client received and response flags {@code -}. An admitted request names its upstream: a host, and the
 * cluster ({@code %UPSTREAM_CLUSTER_RAW%}) of the echo Service ({@code inbound-vip|<port>|http|<host>} on a waypoint,
 * {@code outbound|<port>||<host>} / {@code inbound|<port>||} on the sidecars; Istio's subset keys,
 * {@code istio/istio@1.29.6:pilot/pkg/model/service.go}). A refused request (403) is logged by the proxy that refused it
 * with {@code %RESPONSE_CODE_DETAILS%} {@code rbac_access_denied…} (envoyproxy/envoy
 * {@code source/extensions/filters/common/rbac/utility.cc responseDetail}).
 * <ul>
 *   <li>a record missing, duplicated or wrong: FAIL; a record for a control request (sent before the Telemetry): FAIL;</li>
 *   <li>no L7 proxy log captured at all, or no request recorded: INCONCLUSIVE — no log is not a passing log.</li>
 * </ul>
 */
public final class ProxyAccessLog {
    public static final String RBAC_DETAIL = "rbac_access_denied";

    private ProxyAccessLog() {
    }

    /** Requests of {@code logged} each logged (admitted or refused), those of {@code controls} not at all. */
    public static Verdict judge(Evidence e, List<Step> logged, List<Step> controls) {
        boolean sidecar = "sidecar".equals(e.facts().dataPlane());
        if (e.logs().stream().noneMatch(l -> !l.pod().startsWith("istio-system/ztunnel"))) {
            return Verdict.inconclusive("access log: no waypoint or sidecar log was captured, so no request can be found in it");
        }
        List<Entry> entries = EnvoyAccessLog.parse(e.logs());
        List<Verdict> parts = new ArrayList<>();
        int ok = 0;
        int total = 0;
        for (Step step : logged) {
            for (StampedCalls.Call c : StampedCalls.of(e, step.name())) {
                total++;
                if (c.requestId() == null) {
                    parts.add(Verdict.inconclusive("access log: " + c.describe() + " of '" + step.name() + "' was sent without an x-request-id"));
                    continue;
                }
                List<Entry> mine = entries.stream().filter(x -> c.requestId().equals(x.requestId())).toList();
                String problem = sidecar ? sidecars(c, mine) : waypoint(c, mine);
                if (problem != null) {
                    parts.add(Verdict.fail("access log: " + c.describe() + " of '" + step.name() + "': " + problem));
                } else {
                    ok++;
                }
            }
        }
        if (total == 0) {
            return Verdict.inconclusive("access log: no request of " + logged.stream().map(Step::name).toList() + " was recorded");
        }
        for (Step control : controls) {
            for (StampedCalls.Call c : StampedCalls.of(e, control.name())) {
                List<Entry> mine = c.requestId() == null ? List.of() : entries.stream().filter(x -> c.requestId().equals(x.requestId())).toList();
                if (!mine.isEmpty()) {
                    parts.add(Verdict.fail("access log: control '" + control.name() + "': " + c.describe() + " was logged by "
                            + mine.stream().map(Entry::pod).distinct().toList() + " though no access log was asked for"));
                }
            }
        }
        if (ok > 0) {
            parts.add(Verdict.pass("access log: " + ok + " request(s) found by x-request-id, each logged " + (sidecar ? "by the client's and the server's sidecar" : "once by the waypoint")
                    + " with its status, flags '-' and upstream"));
        }
        return Verdict.all(parts);
    }

    private static String waypoint(StampedCalls.Call c, List<Entry> mine) {
        if (mine.size() != 1) {
            return mine.isEmpty() ? "no access-log record with this x-request-id" : mine.size() + " records with this x-request-id, expected exactly one (the waypoint's)";
        }
        return record(c, mine.get(0), "inbound-vip|" + c.port() + "|", "|" + c.host(), true);
    }

    private static String sidecars(StampedCalls.Call c, List<Entry> mine) {
        List<Entry> outbound = mine.stream().filter(x -> x.upstreamCluster() != null && x.upstreamCluster().startsWith("outbound|")).toList();
        List<Entry> inbound = mine.stream().filter(x -> x.upstreamCluster() != null && x.upstreamCluster().startsWith("inbound|")
                || x.upstreamCluster() == null && x.details() != null && x.details().startsWith(RBAC_DETAIL)).toList();
        if (mine.size() != 2 || outbound.size() != 1 || inbound.size() != 1) {
            return mine.size() + " record(s) with this x-request-id (" + outbound.size() + " outbound, " + inbound.size()
                    + " inbound), expected the client sidecar's outbound record and the server sidecar's inbound one";
        }
        String problem = record(c, outbound.get(0), "outbound|" + c.port() + "||" + c.host(), "", false);
        return problem != null ? "client sidecar: " + problem
                : java.util.Optional.ofNullable(record(c, inbound.get(0), "inbound|" + c.port() + "||", "", true)).map(p -> "server sidecar: " + p).orElse(null);
    }

    /** {@code enforcing}: the proxy that applies the server's policy, so a refusal is its own RBAC decision. */
    private static String record(StampedCalls.Call c, Entry x, String clusterPrefix, String clusterSuffix, boolean enforcing) {
        if (!Objects.equals(c.status(), x.responseCode())) {
            return "logged status " + x.responseCode() + ", but the client received " + c.status() + " (" + x.pod() + ")";
        }
        if (!"-".equals(x.responseFlags())) {
            return "response flags '" + x.responseFlags() + "', expected '-' (" + x.pod() + ")";
        }
        if (Objects.equals(c.status(), 403) && enforcing) {
            return x.details() != null && x.details().startsWith(RBAC_DETAIL) ? null
                    : "a 403 logged with details '" + x.details() + "', not Envoy's RBAC denial (" + RBAC_DETAIL + "…) (" + x.pod() + ")";
        }
        if (x.upstreamHost() == null) {
            return "no upstream host logged (" + x.pod() + ")";
        }
        String cluster = x.upstreamCluster();
        if (cluster == null || !cluster.startsWith(clusterPrefix) || !cluster.endsWith(clusterSuffix)) {
            return "upstream cluster " + (cluster == null ? "absent" : "'" + cluster + "'") + ", not " + clusterPrefix
                    + (clusterSuffix.isEmpty() ? "" : "…" + clusterSuffix) + " (" + x.pod() + ")";
        }
        return null;
    }
}
