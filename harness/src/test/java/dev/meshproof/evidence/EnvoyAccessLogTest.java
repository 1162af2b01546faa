package dev.meshproof.evidence;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static dev.meshproof.verdict.EvidenceBuilder.upstreamLine;
import static org.assertj.core.api.Assertions.assertThat;

class EnvoyAccessLogTest {
    static final String RID = "84961386-6d84-929d-98bd-c5aee93b5c88";

    @Test
    void istiosDefaultTextFormatClientAndServerLines() {
        EnvoyAccessLog.Entry client = EnvoyAccessLog.parse("foo/sleep", upstream("envoy-access-log-default-text-client.txt")).get(0);
        assertThat(client).extracting(EnvoyAccessLog.Entry::method, EnvoyAccessLog.Entry::path, EnvoyAccessLog.Entry::responseCode,
                EnvoyAccessLog.Entry::responseFlags, EnvoyAccessLog.Entry::details, EnvoyAccessLog.Entry::requestId, EnvoyAccessLog.Entry::authority,
                EnvoyAccessLog.Entry::upstreamHost, EnvoyAccessLog.Entry::upstreamCluster)
                .containsExactly("GET", "/status/418", 418, "-", "via_upstream", RID, "httpbin:8000", "10.44.1.27:80", "outbound|8000||httpbin.foo.svc.cluster.local");
        EnvoyAccessLog.Entry server = EnvoyAccessLog.parse("foo/httpbin", upstream("envoy-access-log-default-text-server.txt")).get(0);
        assertThat(server.upstreamCluster()).isEqualTo("inbound|8000||");
        assertThat(server.upstreamHost()).isEqualTo("127.0.0.1:80");
        assertThat(server.pod()).isEqualTo("foo/httpbin");
    }

    @Test
    void istiosDefaultJsonFormat() {
        EnvoyAccessLog.Entry e = EnvoyAccessLog.parse("foo/waypoint", upstream("envoy-access-log-assembled-json-waypoint.txt")).get(0);
        assertThat(e).extracting(EnvoyAccessLog.Entry::method, EnvoyAccessLog.Entry::responseCode, EnvoyAccessLog.Entry::responseFlags,
                EnvoyAccessLog.Entry::requestId, EnvoyAccessLog.Entry::upstreamCluster)
                .containsExactly("GET", 418, "-", RID, "inbound-vip|8000|http|httpbin.foo.svc.cluster.local");
    }

    @Test
    void otherLinesOfTheProxyContainerAreSkipped() {
        String log = "2024-05-04T10:00:00.000000Z\tinfo\tEnvoy proxy is ready\n"
                + "{\"level\":\"info\",\"time\":\"2024-05-04T10:00:00Z\",\"msg\":\"xds\"}\n"
                + "[2024-05-04T10:00:00.000Z] not an access log line\n"
                + upstreamLine("envoy-access-log-default-text-client.txt", 1) + "\n";
        List<EnvoyAccessLog.Entry> entries = EnvoyAccessLog.parse("foo/sleep", log);
        assertThat(entries).singleElement().extracting(EnvoyAccessLog.Entry::requestId).isEqualTo(RID);
    }
}
