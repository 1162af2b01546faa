package dev.meshproof.evidence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ZtunnelLog} on the real ztunnel log samples of /upstream, every format ztunnel has written. */
class ZtunnelLogTest {

    @Test
    void parsesTheCurrentTabSeparatedRecordOfVerifyMtls() {
        String text = upstream("ztunnel-access-log-current-verify-mtls-joined.txt");
        assertThat(text).contains("\tinfo\taccess\tconnection complete\t");

        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(text);

        assertThat(entries).hasSize(1);
        ZtunnelLog.Entry e = entries.get(0);
        assertThat(e.time()).isEqualTo("2024-08-21T15:32:05.754291Z");
        assertThat(e.level()).isEqualTo("info");
        assertThat(e.access()).isTrue();
        assertThat(e.legacyInbound()).isFalse();
        assertThat(e.policyRejection()).isFalse();
        assertThat(e.field("src.addr")).isEqualTo("10.42.0.9:33772");
        assertThat(e.field("src.workload")).isEqualTo("sleep-7656cf8794-6lsm4");
        assertThat(e.field("src.namespace")).isEqualTo("default");
        assertThat(e.field("src.identity")).isEqualTo("spiffe://cluster.local/ns/default/sa/sleep");
        assertThat(e.field("dst.addr")).isEqualTo("10.42.0.5:15008");
        assertThat(e.field("dst.hbone_addr")).isEqualTo("10.42.0.5:9080");
        assertThat(e.field("dst.service")).isEqualTo("details.default.svc.cluster.local");
        assertThat(e.field("dst.workload")).isEqualTo("details-v1-857849f66-ft8wx");
        assertThat(e.field("dst.identity")).isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-details");
        assertThat(e.field("direction")).isEqualTo("outbound");
        assertThat(e.field("bytes_sent")).isEqualTo("84");
        assertThat(e.field("bytes_recv")).isEqualTo("358");
        assertThat(e.field("duration")).isEqualTo("15ms");
        assertThat(e.field("error")).isNull();
        assertThat(e.fields()).hasSize(14);
    }

    @Test
    void joinsTheRecordIstioIoWrapsOverFourLines() {
        String wrapped = upstream("ztunnel-access-log-current-verify-mtls.txt");
        assertThat(wrapped.lines()).hasSize(4);

        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(wrapped);
        ZtunnelLog.Entry joined = ZtunnelLog.parse(upstream("ztunnel-access-log-current-verify-mtls-joined.txt")).get(0);

        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).access()).isTrue();
        assertThat(entries.get(0).fields()).containsExactlyEntriesOf(joined.fields());
    }

    @Test
    void parsesTheTroubleshootRecordsRenderedWithSpacesAndAQuotedHboneAddress() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-current-troubleshoot.txt"));

        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.access()).isTrue();
            assertThat(e.level()).isEqualTo("info");
            assertThat(e.legacyInbound()).isFalse();
            assertThat(e.field("src.identity")).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
            assertThat(e.field("dst.identity")).isEqualTo("spiffe://cluster.local/ns/default/sa/bookinfo-productpage");
            assertThat(e.field("dst.namespace")).isEqualTo("productpage");
            assertThat(e.field("dst.hbone_addr")).isEqualTo("10.244.1.10:9080");
        });
        assertThat(entries).extracting(e -> e.field("direction")).containsExactly("inbound", "outbound");
        assertThat(entries).extracting(e -> e.field("dst.addr")).containsExactly("10.244.1.10:9080", "10.244.1.10:15008");
    }

    @Test
    void parsesTheWrappedReadmeFormWithUpperCaseLevelAndAccessColon() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-readme-1.29.6.txt"));

        assertThat(entries).hasSize(1);
        ZtunnelLog.Entry e = entries.get(0);
        assertThat(e.level()).isEqualTo("info");
        assertThat(e.access()).isTrue();
        assertThat(e.field("src.workload")).isEqualTo("shell-6d8bcd654d-t88gp");
        assertThat(e.field("src.identity")).isEqualTo("spiffe://cluster.local/ns/default/sa/default");
        assertThat(e.field("dst.hbone_addr")).isEqualTo("10.96.108.116:80");
        assertThat(e.field("dst.service")).isEqualTo("echo.default.svc.cluster.local");
        assertThat(e.field("direction")).isEqualTo("outbound");
        assertThat(e.field("duration")).isEqualTo("13ms");
    }

    @Test
    void parsesTheAssembledDenyRecordsAsPolicyRejections() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-assembled-deny-1.29.6.txt"));

        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.level()).isEqualTo("error");
            assertThat(e.access()).isTrue();
            assertThat(e.policyRejection()).isTrue();
            assertThat(e.field("direction")).isEqualTo("inbound");
        });
        ZtunnelLog.Entry strict = entries.get(0);
        assertThat(strict.field("src.identity")).isNull();
        assertThat(strict.field("dst.identity")).isNull();
        assertThat(strict.field("src.workload")).isEqualTo("sleep-69cfb4968f-8dk2p");
        assertThat(strict.field("src.namespace")).isEqualTo("client-a");
        assertThat(strict.field("error")).isEqualTo(
                "connection closed due to policy rejection: explicitly denied by: istio-system/istio_converted_static_strict");
        ZtunnelLog.Entry allow = entries.get(1);
        assertThat(allow.field("src.identity")).isEqualTo("spiffe://cluster.local/ns/ambient-demo/sa/notsleep");
        assertThat(allow.field("error")).isEqualTo("connection closed due to policy rejection: allow policies exist, but none allowed");
    }

    @Test
    void aPolicyChangeCloseIsNotAPolicyRejection() {
        // Minimal edit of the real deny line 2: ztunnel's other close text (src/proxy.rs), not a rejection.
        String line = upstream("ztunnel-access-log-assembled-deny-1.29.6.txt").lines().toList().get(1)
                .replace("error=\"connection closed due to policy rejection: allow policies exist, but none allowed\"",
                        "error=\"connection closed due to policy change\"");

        ZtunnelLog.Entry e = ZtunnelLog.parse(line).get(0);

        assertThat(e.field("error")).isEqualTo("connection closed due to policy change");
        assertThat(e.policyRejection()).isFalse();
    }

    @Test
    void parsesTheLegacyInboundLinesWithPeerIdWithoutTheSpanCloser() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-legacy-pre-1.22-inbound.txt"));

        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.legacyInbound()).isTrue();
            assertThat(e.access()).isFalse();
            assertThat(e.policyRejection()).isFalse();
            assertThat(e.level()).isEqualTo("info");
            assertThat(e.field("peer_id")).isEqualTo("spiffe://cluster.local/ns/ambient-demo/sa/sleep");
            assertThat(e.field("peer_ip")).isEqualTo("10.240.2.16");
            assertThat(e.text()).contains("got CONNECT request to 10.240.1.11:80");
        });
        assertThat(entries).extracting(e -> e.field("id"))
                .containsExactly("ec177a563e4899869359422b5cdd1df4", "1ebc3c7384ee68942bbb7c7ed866b3d9");
    }

    @Test
    void parsesTheLegacyRbacRejectionsAsPolicyRejections() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-legacy-pre-1.22-rbac-deny.txt"));

        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.legacyInbound()).isTrue();
            assertThat(e.policyRejection()).isTrue();
            assertThat(e.field("peer_id")).isEqualTo("spiffe://cluster.local/ns/ambient-demo/sa/notsleep");
            assertThat(e.field("peer_ip")).isEqualTo("10.240.2.2");
        });
    }

    @Test
    void legacyOutboundLinesAreNeitherAccessRecordsNorInboundNorRejections() {
        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(upstream("ztunnel-access-log-legacy-pre-1.22-outbound.txt"));

        assertThat(entries).hasSize(4);
        assertThat(entries).noneMatch(ZtunnelLog.Entry::access);
        assertThat(entries).noneMatch(ZtunnelLog.Entry::legacyInbound);
        assertThat(entries).noneMatch(ZtunnelLog.Entry::policyRejection);
    }

    @Test
    void envoyAccessLogLinesAreNotZtunnelRecords() {
        assertThat(ZtunnelLog.parse(upstream("envoy-access-log-default-text-server.txt"))).isEmpty();
        assertThat(ZtunnelLog.parse(upstream("envoy-access-log-default-text-client.txt"))).isEmpty();
    }

    @Test
    void concatenatedSamplesStayRecordByRecord() {
        String all = upstream("ztunnel-access-log-current-troubleshoot.txt")
                + upstream("ztunnel-access-log-readme-1.29.6.txt")
                + upstream("ztunnel-access-log-legacy-pre-1.22-rbac-deny.txt");

        List<ZtunnelLog.Entry> entries = ZtunnelLog.parse(all);

        assertThat(entries).hasSize(5);
        assertThat(entries).extracting(ZtunnelLog.Entry::legacyInbound).containsExactly(false, false, false, true, true);
        // The readme record's continuation lines belong to it, not to the record before.
        assertThat(entries.get(1).field("src.workload")).isEqualTo("curl-7656cf8794-r7zb9");
        assertThat(entries.get(2).field("src.workload")).isEqualTo("shell-6d8bcd654d-t88gp");
    }
}
