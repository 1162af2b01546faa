package dev.meshproof.verdict;

import dev.meshproof.evidence.CounterDelta;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.MetricsScrape;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges the L7 proxies' request counters for a client → server pair: the growth of {@value #REQUESTS} between the
 * scrapes before and after the measured requests, reported by the waypoint ({@code reporter="waypoint"}, ambient) or the
 * server's sidecar ({@code reporter="destination"}), with the labels Istio's own ambient test queries
 * ({@code istio/istio@1.29.6:tests/integration/ambient/baseline_test.go buildQuery}): {@code source_principal},
 * {@code destination_principal}, {@code response_code}, {@code connection_security_policy="mutual_tls"}.
 *
 * <p>Counts must equal the measured requests per status code: between the two scrapes the client sends only the
 * measured requests to the server, each a separate request that the reporting proxy counts once when its stream
 * completes (Istio's stats filter). Fewer is a request not counted, more is a request counted twice.
 * <ul>
 *   <li>growth with another security policy, another response code, or a count ≠ the requests sent: FAIL;</li>
 *   <li>no scrape, no paired proxy, or no growth at all (the series is absent): INCONCLUSIVE — never PASS.</li>
 * </ul>
 */
public final class RequestMetrics {
    public static final String REQUESTS = "istio_requests_total";

    private RequestMetrics() {
    }

    /** The pair's requests of {@code measured} against the growth of their series. */
    public static Verdict judge(Evidence e, Step measured, String clientWorkload, String serverWorkload) {
        String reporter = "sidecar".equals(e.facts().dataPlane()) ? "destination" : "waypoint";
        Principal client = MutualTlsMetrics.principal(e, clientWorkload);
        Principal server = MutualTlsMetrics.principal(e, serverWorkload);
        Map<String, Long> sent = new TreeMap<>();
        StampedCalls.of(e, measured.name()).forEach(c -> sent.merge(String.valueOf(c.status()), 1L, Long::sum));
        if (sent.isEmpty()) {
            return Verdict.inconclusive("request metrics: no request of '" + measured.name() + "' was recorded");
        }
        List<MetricsScrape> before = e.scrapes("before");
        List<MetricsScrape> after = e.scrapes("after");
        if (before.isEmpty() || after.isEmpty()) {
            return Verdict.inconclusive("request metrics: " + (before.isEmpty() ? "no scrape before" : "no scrape after") + " the requests, so no delta can be computed");
        }
        String pair = "{reporter=\"" + reporter + "\"} from " + client + " to " + server;
        CounterDelta delta = CounterDelta.of(before, after, REQUESTS, s -> reporter.equals(s.label("reporter"))
                && (client.matches(s.label("source_principal"))
                    || client.namespace().equals(s.label("source_workload_namespace")) && clientWorkload.equals(s.label("source_workload")))
                && server.matches(s.label("destination_principal")));
        if (!delta.reset().isEmpty()) {
            return Verdict.inconclusive("request metrics: " + REQUESTS + " went down between the scrapes (proxy restarted?): " + delta.reset());
        }
        if (delta.series().isEmpty()) {
            boolean family = after.stream().anyMatch(s -> s.text().contains(REQUESTS));
            return Verdict.inconclusive("request metrics: no " + REQUESTS + pair + " grew between the scrapes (" + delta.paired() + " proxy(ies) scraped before and after"
                    + (family ? "" : "; no " + REQUESTS + " in any scrape") + "): absent series prove nothing");
        }
        List<CounterDelta.Growth> notMtls = delta.series().stream().filter(g -> !MutualTlsMetrics.MUTUAL_TLS.equals(g.label("connection_security_policy"))).toList();
        if (!notMtls.isEmpty()) {
            return Verdict.fail("request metrics: " + REQUESTS + pair + " reported with connection_security_policy="
                    + notMtls.stream().map(g -> "\"" + g.label("connection_security_policy") + "\"").distinct().collect(Collectors.joining(", ")) + ", not mutual_tls");
        }
        Map<String, Long> counted = new TreeMap<>();
        delta.series().forEach(g -> counted.merge(g.label("response_code"), Math.round(g.delta()), Long::sum));
        if (!counted.equals(sent)) {
            return Verdict.fail("request metrics: " + REQUESTS + pair + " grew by " + counted + " (by response_code) but the client received " + sent);
        }
        return Verdict.pass("request metrics: " + REQUESTS + pair + " grew by exactly the requests sent, by response code " + counted + ", with mutual_tls ("
                + delta.series().stream().map(CounterDelta.Growth::pod).distinct().collect(Collectors.joining(", ")) + ")");
    }
}
