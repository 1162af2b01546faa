package dev.meshproof.verdict;

import dev.meshproof.evidence.CounterDelta;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.MetricsScrape;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Judges ztunnel's metrics for proof that a client's connections to a server were mutual TLS: the growth,
 * between the scrapes before and after the check's traffic, of {@value #OPENED} series reported by the
 * destination's ztunnel ({@code reporter="destination"}) with the client's and the server's SPIFFE principals.
 * Labels as ztunnel writes them: {@code CommonTrafficLabels} and {@code SecurityPolicy} ({@code mutual_tls} or
 * {@code unknown}) in {@code istio/ztunnel@1.29.6:src/proxy/metrics.rs}; Istio's own L4 query selects the same
 * ({@code buildL4Query}, {@code istio/istio@1.29.6:tests/integration/ambient/baseline_test.go}).
 *
 * <ul>
 *   <li>any growth of the pair's series with another security policy ({@code unknown}, {@code none}): FAIL;</li>
 *   <li>growth only with {@code mutual_tls}: PASS, with the count;</li>
 *   <li>no growth (no scrape, no {@code istio_tcp_*} family yet, only other workloads' series, or counters already
 *       at their value before): INCONCLUSIVE — no metric series is not mTLS;</li>
 *   <li>a counter that went down (ztunnel restarted): INCONCLUSIVE.</li>
 * </ul>
 */
public final class MutualTlsMetrics {
    public static final String OPENED = "istio_tcp_connections_opened_total";
    public static final String MUTUAL_TLS = "mutual_tls";

    private MutualTlsMetrics() {
    }

    /** The scrapes labelled before and after, and the two workloads' identities from the evidence's context. */
    public static Verdict judge(Evidence evidence, String clientWorkload, String serverWorkload) {
        Principal client = principal(evidence, clientWorkload);
        Principal server = principal(evidence, serverWorkload);
        return judge(evidence.scrapes("before"), evidence.scrapes("after"), client, clientWorkload, server);
    }

    /**
     * A series is the pair's when the destination is the server (its principal: ztunnel takes it from the destination
     * workload, plaintext or not) and the source is the client: its principal, or — since ztunnel writes
     * {@code source_principal="unknown"} for every plaintext source — its workload namespace and name
     * ({@code source_workload_namespace}, {@code source_workload}: the Deployment's name). So a plaintext connection of
     * the pair is seen and FAILs, instead of hiding beside the mTLS ones.
     */
    public static Verdict judge(List<MetricsScrape> before, List<MetricsScrape> after, Principal client, String clientWorkload, Principal server) {
        String pair = "from " + client + " to " + server;
        if (before.isEmpty() || after.isEmpty()) {
            return Verdict.inconclusive("ztunnel metrics: " + (before.isEmpty() ? "no scrape before" : "no scrape after")
                    + " the traffic, so no delta can be computed");
        }
        CounterDelta delta = CounterDelta.of(before, after, OPENED, s -> "destination".equals(s.label("reporter"))
                && (client.matches(s.label("source_principal"))
                    || client.namespace().equals(s.label("source_workload_namespace")) && clientWorkload.equals(s.label("source_workload")))
                && server.matches(s.label("destination_principal")));
        if (!delta.reset().isEmpty()) {
            return Verdict.inconclusive("ztunnel metrics: " + OPENED + " went down between the scrapes (proxy restarted?): " + delta.reset());
        }
        double mtls = delta.total(g -> MUTUAL_TLS.equals(g.label("connection_security_policy")));
        List<CounterDelta.Growth> other = delta.series().stream()
                .filter(g -> !MUTUAL_TLS.equals(g.label("connection_security_policy"))).toList();
        if (!other.isEmpty()) {
            return Verdict.fail("ztunnel metrics: " + count(other.stream().mapToDouble(CounterDelta.Growth::delta).sum())
                    + " connection(s) " + pair + " reported with connection_security_policy="
                    + other.stream().map(g -> "\"" + g.label("connection_security_policy") + "\" (" + g.pod() + ")").distinct().collect(Collectors.joining(", "))
                    + ", not mutual_tls");
        }
        if (mtls == 0) {
            boolean anyTcpFamily = after.stream().anyMatch(s -> s.text().contains("istio_tcp_"));
            return Verdict.inconclusive("ztunnel metrics: no new " + OPENED + "{reporter=\"destination\"} series " + pair
                    + " between the scrapes (" + delta.paired() + " ztunnel(s) scraped before and after"
                    + (anyTcpFamily ? "" : "; no istio_tcp_* family in any scrape") + (delta.unpaired().isEmpty() ? "" : "; not paired: " + delta.unpaired())
                    + "): no metric series is not mTLS");
        }
        return Verdict.pass("ztunnel metrics: " + count(mtls) + " new connection(s) " + pair + " reported by the destination with connection_security_policy=mutual_tls ("
                + delta.series().stream().map(CounterDelta.Growth::pod).distinct().collect(Collectors.joining(", ")) + ")");
    }

    static Principal principal(Evidence evidence, String workload) {
        var w = evidence.facts().workload(workload);
        return new Principal(w.namespace(), w.serviceAccount());
    }

    private static String count(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
