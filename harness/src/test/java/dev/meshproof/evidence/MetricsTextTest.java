package dev.meshproof.evidence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meshproof.verdict.EvidenceBuilder.edit;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MetricsText} on ztunnel 1.29.6's exact exposition encoding (the assembled samples in /upstream). */
class MetricsTextTest {
    private static final String MTLS = "ztunnel-metrics-assembled-mtls-destination.txt";
    private static final String DENY = "ztunnel-metrics-assembled-deny-plaintext-strict.txt";

    @Test
    void parsesTheAssembledZtunnelExpositionWithHelpTypeWithoutTotalAndEofTrailer() {
        String body = upstream(MTLS);
        assertThat(body).contains("# TYPE istio_tcp_connections_opened counter").endsWith("# EOF\n");

        List<MetricsText.Sample> samples = MetricsText.parse(body);

        // HELP/TYPE lines (bare family names) and "# EOF" are not samples; counter samples carry _total.
        assertThat(samples).extracting(MetricsText.Sample::name).containsExactly(
                "istio_tcp_connections_opened_total", "istio_tcp_connections_closed_total",
                "istio_tcp_received_bytes_total", "istio_tcp_sent_bytes_total", "istio_tcp_sockets_open");
        MetricsText.Sample opened = samples.get(0);
        assertThat(opened.value()).isEqualTo(1.0);
        assertThat(opened.labels()).hasSize(27);
        assertThat(opened.labels().keySet()).first().isEqualTo("reporter");
        assertThat(opened.labels().keySet()).last().isEqualTo("destination_zone");
        assertThat(opened.label("reporter")).isEqualTo("destination");
        assertThat(opened.label("source_principal")).isEqualTo("spiffe://cluster.local/ns/default/sa/sleep");
        assertThat(opened.label("destination_principal")).isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-details");
        assertThat(opened.label("connection_security_policy")).isEqualTo("mutual_tls");
        assertThat(samples.get(2).value()).isEqualTo(84.0);
        assertThat(samples.get(3).value()).isEqualTo(358.0);
        assertThat(samples.get(4).labels()).containsExactly(java.util.Map.entry("reporter", "destination"));
        assertThat(samples.get(4).value()).isEqualTo(0.0);
    }

    @Test
    void parsesTheAssembledStrictDenyExpositionWithDenyOnClosedAndFailedNotOnOpened() {
        List<MetricsText.Sample> samples = MetricsText.parse(upstream(DENY));

        assertThat(samples).extracting(MetricsText.Sample::name).containsExactly(
                "istio_tcp_connections_opened_total", "istio_tcp_connections_closed_total",
                "istio_tcp_received_bytes_total", "istio_tcp_sent_bytes_total",
                "istio_tcp_connections_failed_total", "istio_tcp_sockets_open");
        assertThat(samples.get(0).label("response_flags")).isEqualTo("-");
        assertThat(samples.get(1).label("response_flags")).isEqualTo("DENY");
        assertThat(samples.get(4).label("response_flags")).isEqualTo("DENY");
        assertThat(samples.get(0).label("source_principal")).isEqualTo("unknown");
        assertThat(samples.get(0).label("connection_security_policy")).isEqualTo("unknown");
    }

    @Test
    void sampleSeriesIdentityIsNameAndLabelsNotValue() {
        List<MetricsText.Sample> a = MetricsText.parse(upstream(MTLS));
        // Minimal edit of the real sample: the opened counter's value 1 -> 7.
        List<MetricsText.Sample> b = MetricsText.parse(edit(upstream(MTLS),
                "destination_zone=\"unknown\"} 1\n# HELP istio_tcp_connections_closed",
                "destination_zone=\"unknown\"} 7\n# HELP istio_tcp_connections_closed"));

        assertThat(b.get(0).value()).isEqualTo(7.0);
        assertThat(b.get(0).series()).isEqualTo(a.get(0).series());
        assertThat(a.get(0).series()).isNotEqualTo(a.get(1).series());
    }

    @Test
    void labelValuesWithEscapesAreUnescaped() {
        // Minimal edits of the real sample's opened line: escaped quote, backslash and newline in one label value,
        // and a value holding the label separators ',' and '}'.
        String body = edit(upstream(MTLS), "source_app=\"sleep\"", "source_app=\"sl\\\"ee\\\\p\\nx\"");
        body = edit(body, "destination_service=\"details.default.svc.cluster.local\"",
                "destination_service=\"a,b}c=d\"");

        List<MetricsText.Sample> samples = MetricsText.parse(body);

        assertThat(samples.get(0).label("source_app")).isEqualTo("sl\"ee\\p\nx");
        assertThat(samples.get(0).label("destination_service")).isEqualTo("a,b}c=d");
        assertThat(samples.get(0).label("source_version")).isEqualTo("latest");
        assertThat(samples.get(0).labels()).hasSize(27);
        assertThat(samples.get(0).value()).isEqualTo(1.0);
    }

    @Test
    void sampleWithTimestampAndSpecialValuesParse() {
        List<MetricsText.Sample> samples = MetricsText.parse(
                "# TYPE up gauge\nup 1 1700000000000\nx_total{a=\"b\"} +Inf\ny NaN\nz -Inf\nw 1.5e3\n# EOF\n");

        assertThat(samples).extracting(MetricsText.Sample::name).containsExactly("up", "x_total", "y", "z", "w");
        assertThat(samples.get(0).value()).isEqualTo(1.0);
        assertThat(samples.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(samples.get(2).value()).isNaN();
        assertThat(samples.get(3).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(samples.get(4).value()).isEqualTo(1500.0);
    }

    @Test
    void rejectsAGarbageLineNamingItsLineNumber() {
        // The real sample with one garbage line inserted as line 4 (after the opened sample, line 3).
        String[] lines = upstream(MTLS).split("\n", -1);
        String body = String.join("\n", lines[0], lines[1], lines[2], "this is not a sample") + "\n"
                + String.join("\n", java.util.Arrays.copyOfRange(lines, 3, lines.length));

        assertThatThrownBy(() -> MetricsText.parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 4 ")
                .hasMessageContaining("this is not a sample");
    }

    @Test
    void rejectsASampleWithoutValueNamingItsLineNumber() {
        // Minimal edit: the sent-bytes sample (line 12) loses its value.
        String body = edit(upstream(MTLS), "destination_zone=\"unknown\"} 358", "destination_zone=\"unknown\"}");

        assertThatThrownBy(() -> MetricsText.parse(body))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 12 ");
    }

    @Test
    void rejectsTheIstioIoPrometheusConsoleFormBecauseItIsNotAnExposition() {
        assertThatThrownBy(() -> MetricsText.parse(upstream("ztunnel-metrics-istio-io-prometheus-console.txt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1 ");
    }

    @Test
    void anExpositionWithOnlyTheEofTrailerHasNoSamples() {
        assertThat(MetricsText.parse("# EOF\n")).isEmpty();
        assertThat(MetricsText.parse("")).isEmpty();
    }
}
