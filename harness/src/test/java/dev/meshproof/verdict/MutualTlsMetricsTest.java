package dev.meshproof.verdict;

import dev.meshproof.evidence.CounterDelta;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.evidence.MetricsText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static dev.meshproof.verdict.EvidenceBuilder.ZTUNNEL;
import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.evidence;
import static dev.meshproof.verdict.EvidenceBuilder.pod;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MutualTlsMetrics} on the assembled ztunnel 1.29.6 destination exposition. The sample's pair is
 * {@code spiffe://cluster.local/ns/default/sa/sleep} → {@code spiffe://cluster.local/ns/default/sa/bookinfo-details},
 * so the facts name the client workload "client" (namespace default, SA sleep) and the server "echo" (default,
 * bookinfo-details). Failing variants are minimal textual edits of the real sample (each says which).
 */
class MutualTlsMetricsTest {
    private static final String MTLS = "ztunnel-metrics-assembled-mtls-destination.txt";
    /** ztunnel before the first connection: families are omitted until first incremented; only the trailer. */
    private static final String EMPTY = "# EOF\n";
    private static final String OPENED_LINE_END = "destination_zone=\"unknown\"} 1\n# HELP istio_tcp_connections_closed";

    private static EvidenceBuilder pair() {
        return evidence()
                .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                .workload("echo", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"));
    }

    private static Verdict judge(String before, String after) {
        return MutualTlsMetrics.judge(pair().scrape("before", ZTUNNEL, before).scrape("after", ZTUNNEL, after).build(), "client", "echo");
    }

    @Test
    void passWhenBeforeHasNoIstioTcpFamilyAndAfterHasThePairsMutualTlsSeries() {
        Verdict v = judge(EMPTY, upstream(MTLS));

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("1 new connection(s)").contains("/ns/default/sa/sleep").contains("/ns/default/sa/bookinfo-details")
                .contains(ZTUNNEL);
    }

    @Test
    void passWhenBeforeHasOnlyOtherFamilies() {
        // A before-scrape holding only the sample's sockets gauge family (its last lines): no istio_tcp_connections_* yet.
        String before = "# HELP istio_tcp_sockets_open The current number of open TCP sockets (unstable).\n"
                + "# TYPE istio_tcp_sockets_open gauge\nistio_tcp_sockets_open{reporter=\"destination\"} 0\n# EOF\n";
        assertThat(upstream(MTLS)).endsWith(before);

        assertThat(judge(before, upstream(MTLS)).status()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void passCountsTheGrowthNotTheAbsoluteValue() {
        // Edit: the opened counter read 3 before and 5 after → 2 new connections.
        String before = edit(upstream(MTLS), OPENED_LINE_END, OPENED_LINE_END.replace("} 1\n", "} 3\n"));
        String after = edit(upstream(MTLS), OPENED_LINE_END, OPENED_LINE_END.replace("} 1\n", "} 5\n"));

        Verdict v = judge(before, after);

        assertThat(v.status()).isEqualTo(Verdict.Status.PASS);
        assertThat(v.line()).contains("2 new connection(s)");
    }

    @Test
    void inconclusiveOnScrapesWithNoIstioTcpSeriesAtAll() {
        Verdict v = judge(EMPTY, EMPTY);

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("no istio_tcp_* family in any scrape");
    }

    @Test
    void failWhenThePairsSeriesGrewWithSecurityPolicyUnknown() {
        // Edit: connection_security_policy="mutual_tls" → "unknown" (ztunnel's plaintext value) on every series.
        Verdict v = judge(EMPTY, edit(upstream(MTLS), "connection_security_policy=\"mutual_tls\"", "connection_security_policy=\"unknown\""));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("connection_security_policy=\"unknown\"").contains("not mutual_tls");
    }

    @Test
    void failWhenThePairsSeriesGrewWithSecurityPolicyNone() {
        // Edit: connection_security_policy="mutual_tls" → "none".
        Verdict v = judge(EMPTY, edit(upstream(MTLS), "connection_security_policy=\"mutual_tls\"", "connection_security_policy=\"none\""));

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("connection_security_policy=\"none\"");
    }

    @Test
    void failWhenOnePlaintextSeriesGrewBesideTheMutualTlsOne() {
        // The real sample plus a copy of its opened line with connection_security_policy="unknown".
        String real = upstream(MTLS);
        String openedLine = real.lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total{")).findFirst().orElseThrow();
        String after = real.replace("# EOF\n", edit(openedLine, "\"mutual_tls\"", "\"unknown\"") + "\n# EOF\n");

        Verdict v = judge(EMPTY, after);

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("1 connection(s)").contains("\"unknown\"");
    }

    @Test
    void inconclusiveWhenOnlyOtherWorkloadsPrincipalsGrew() {
        // Edit: the source principal is another service account (notsleep).
        String after = edit(upstream(MTLS), "source_principal=\"spiffe://cluster.local/ns/default/sa/sleep\"",
                "source_principal=\"spiffe://cluster.local/ns/default/sa/notsleep\"");

        assertThat(judge(EMPTY, after).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        // and other workloads' plaintext growth does not fail our pair either
        assertThat(judge(EMPTY, edit(after, "\"mutual_tls\"", "\"unknown\"")).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    /**
     * The mTLS connections went from the client to another server of the server's namespace (destination principal
     * bookinfo-reviews, not bookinfo-details): that is no proof about the pair.
     */
    @Test
    void inconclusiveWhenOnlyAnotherDestinationGrew() {
        // Edit: the destination principal is another service account.
        String after = edit(upstream(MTLS), "destination_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-details\"",
                "destination_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-reviews\"");

        assertThat(judge(EMPTY, after).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void inconclusiveForAbsoluteCountersThatDidNotGrow() {
        // Before and after both show the same value 1: the connection predates the window, delta 0.
        Verdict v = judge(upstream(MTLS), upstream(MTLS));

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("1 ztunnel(s) scraped before and after");
    }

    @Test
    void inconclusiveWithoutABeforeScrape() {
        Evidence e = pair().scrape("after", ZTUNNEL, upstream(MTLS)).build();

        Verdict v = MutualTlsMetrics.judge(e, "client", "echo");

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("no scrape before");
    }

    @Test
    void inconclusiveWithoutAnAfterScrape() {
        Evidence e = pair().scrape("before", ZTUNNEL, EMPTY).build();

        assertThat(MutualTlsMetrics.judge(e, "client", "echo").line()).startsWith("INCONCLUSIVE").contains("no scrape after");
    }

    @Test
    void inconclusiveWhenTheAfterScrapeIsFromAPodNotScrapedBefore() {
        // The after body is the real one, but from a ztunnel that had no before-scrape (restarted / new node):
        // its counters are its whole history, not the check's window.
        Evidence e = pair().scrape("before", "istio-system/ztunnel-old11", EMPTY)
                .scrape("after", "istio-system/ztunnel-new22", upstream(MTLS)).build();

        Verdict v = MutualTlsMetrics.judge(e, "client", "echo");

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("0 ztunnel(s) scraped before and after").contains("ztunnel-new22");
    }

    @Test
    void inconclusiveWhenTheCounterWentDown() {
        // Edit: the before-scrape read 5 for the pair's series, the after-scrape (real) reads 1: ztunnel restarted.
        String before = edit(upstream(MTLS), OPENED_LINE_END, OPENED_LINE_END.replace("} 1\n", "} 5\n"));

        Verdict v = judge(before, upstream(MTLS));

        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.line()).contains("went down");
    }

    @Test
    void matchesPrincipalsInAnyTrustDomain() {
        // Edit: trust domain cluster.local → example.org in every principal.
        String after = edit(upstream(MTLS), "spiffe://cluster.local/", "spiffe://example.org/");
        assertThat(after).contains("source_principal=\"spiffe://example.org/ns/default/sa/sleep\"");

        assertThat(judge(EMPTY, after).status()).isEqualTo(Verdict.Status.PASS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "spiffe://cluster.local/ns/default/sa/sleep-evil",
            "spiffe://cluster.local/ns/default/sa/sleep/x",
            "spiffe://cluster.local/x/ns/default/sa/sleep",
            "spiffe://cluster.local/ns/default/sa/sleepy",
            "https://cluster.local/ns/default/sa/sleep",
            "cluster.local/ns/default/sa/sleep",
            "spiffe:///ns/default/sa/sleep",
            "unknown"})
    void aPrincipalThatMerelyContainsTheClientsPathDoesNotMatch(String principal) {
        // Edit: the source principal replaced by a look-alike.
        String after = edit(upstream(MTLS), "source_principal=\"spiffe://cluster.local/ns/default/sa/sleep\"",
                "source_principal=\"" + principal + "\"");

        assertThat(judge(EMPTY, after).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void sourceReportedSeriesAloneDoNotPass() {
        // Edit: reporter="destination" → "source" on the opened series (the client-side ztunnel's view).
        String after = edit(upstream(MTLS), "istio_tcp_connections_opened_total{reporter=\"destination\"",
                "istio_tcp_connections_opened_total{reporter=\"source\"");

        assertThat(judge(EMPTY, after).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void otherFamiliesOfThePairDoNotCountAsOpenedConnections() {
        // Edit: drop the opened family's sample; closed/received/sent of the pair remain.
        String real = upstream(MTLS);
        String openedLine = real.lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total{")).findFirst().orElseThrow();

        assertThat(judge(EMPTY, edit(real, openedLine + "\n", "")).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void theRealPlaintextStrictDenyExpositionNeverPasses() {
        // ztunnel writes source_principal="unknown" for a plaintext source (README: only a TLS-derived identity fills
        // it), so the pair's principal cannot match; the metrics judge can only be INCONCLUSIVE here, never PASS.
        Evidence e = evidence()
                .workload("client", "legacy", "sleep", pod("sleep-5f7b9c4d8-abcde", "10.244.2.7"))
                .workload("echo", "foo", "httpbin", pod("httpbin-6f8cf9b6c4-xyz12", "10.244.1.9"))
                .scrape("before", ZTUNNEL, EMPTY)
                .scrape("after", ZTUNNEL, upstream("ztunnel-metrics-assembled-deny-plaintext-strict.txt"))
                .build();

        assertThat(MutualTlsMetrics.judge(e, "client", "echo").status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    /**
     * The sample's pair with the facts' workloads named as ztunnel's {@code source_workload} / {@code destination_workload}
     * labels name them (the Deployments {@code sleep} and {@code details-v1}), for the series a plaintext source gets.
     */
    private static EvidenceBuilder pairByDeployment() {
        return evidence()
                .workload("sleep", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                .workload("details-v1", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"));
    }

    /** The real opened line edited as ztunnel writes a plaintext source: policy and source principal {@code unknown}. */
    private static String plaintextOpenedLine() {
        String openedLine = upstream(MTLS).lines().filter(l -> l.startsWith("istio_tcp_connections_opened_total{")).findFirst().orElseThrow();
        return edit(edit(openedLine, "connection_security_policy=\"mutual_tls\"", "connection_security_policy=\"unknown\""),
                "source_principal=\"spiffe://cluster.local/ns/default/sa/sleep\"", "source_principal=\"unknown\"");
    }

    /**
     * ztunnel 1.29.6 fills source_principal only from a TLS-derived identity: a plaintext (passthrough) connection of
     * the same pair is written with {@code source_principal="unknown"} and {@code connection_security_policy="unknown"},
     * identified only by source_workload / source_workload_namespace (upstream README, "Label set and order"). Here
     * the destination ztunnel saw the pair's mTLS connection (the real sample) and, in the same window, one plaintext
     * connection from the same client. Some of the pair's connections were not mTLS: FAIL, not PASS.
     */
    @Test
    void aPlaintextConnectionOfThePairBesideMutualTlsOnesFails() {
        String after = upstream(MTLS).replace("# EOF\n", plaintextOpenedLine() + "\n# EOF\n");
        Evidence e = pairByDeployment().scrape("before", ZTUNNEL, EMPTY).scrape("after", ZTUNNEL, after).build();

        Verdict v = MutualTlsMetrics.judge(e, "sleep", "details-v1");

        assertThat(v.status()).isEqualTo(Verdict.Status.FAIL);
        assertThat(v.line()).contains("1 connection(s)").contains("connection_security_policy=\"unknown\"");
    }

    @Test
    void aPlaintextConnectionOfAnotherDeploymentOfTheClientsNamespaceIsNotThePairs() {
        // Edit: the plaintext series' source_workload is another Deployment of namespace default.
        String other = edit(plaintextOpenedLine(), "source_workload=\"sleep\"", "source_workload=\"notsleep\"");
        Evidence e = pairByDeployment().scrape("before", ZTUNNEL, EMPTY)
                .scrape("after", ZTUNNEL, upstream(MTLS).replace("# EOF\n", other + "\n# EOF\n")).build();

        assertThat(MutualTlsMetrics.judge(e, "sleep", "details-v1").status()).isEqualTo(Verdict.Status.PASS);
    }

    @Test
    void aScrapeThatDoesNotParseIsMalformedEvidenceNamingTheFile() {
        Evidence e = pair().scrape("before", ZTUNNEL, EMPTY).scrape("after", ZTUNNEL, upstream("ztunnel-metrics-istio-io-prometheus-console.txt")).build();

        assertThatThrownBy(() -> MutualTlsMetrics.judge(e, "client", "echo"))
                .isInstanceOf(MalformedEvidenceException.class)
                .hasMessageContaining("metrics/after/istio-system_ztunnel-7xk2p.txt")
                .hasMessageContaining("line 1");
    }

    @Test
    void anUnknownWorkloadNameIsMalformedEvidenceNamingContextJson() {
        Evidence e = pair().scrape("before", ZTUNNEL, EMPTY).scrape("after", ZTUNNEL, upstream(MTLS)).build();

        assertThatThrownBy(() -> MutualTlsMetrics.judge(e, "client", "nosuch"))
                .isInstanceOf(MalformedEvidenceException.class)
                .hasMessageContaining("context.json").hasMessageContaining("nosuch");
    }

    @Test
    void counterDeltaReportsPairedAndUnpairedPods() {
        var before = java.util.List.of(new dev.meshproof.evidence.MetricsScrape("before", "istio-system/ztunnel-a", "n1", EMPTY),
                new dev.meshproof.evidence.MetricsScrape("before", "istio-system/ztunnel-gone", "n2", EMPTY));
        var after = java.util.List.of(new dev.meshproof.evidence.MetricsScrape("after", "istio-system/ztunnel-a", "n1", upstream(MTLS)),
                new dev.meshproof.evidence.MetricsScrape("after", "istio-system/ztunnel-new", "n3", upstream(MTLS)));

        CounterDelta d = CounterDelta.of(before, after, MutualTlsMetrics.OPENED, s -> true);

        assertThat(d.paired()).isEqualTo(1);
        assertThat(d.unpaired()).containsExactlyInAnyOrder("istio-system/ztunnel-gone", "istio-system/ztunnel-new");
        assertThat(d.series()).singleElement().satisfies(g -> {
            assertThat(g.pod()).isEqualTo("istio-system/ztunnel-a");
            assertThat(g.delta()).isEqualTo(1.0);
            assertThat(g.label("connection_security_policy")).isEqualTo("mutual_tls");
        });
        assertThat(d.reset()).isEmpty();
        assertThat(MetricsText.parse(EMPTY)).isEmpty();
    }
}
