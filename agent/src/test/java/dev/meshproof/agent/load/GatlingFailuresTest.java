package dev.meshproof.agent.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LoadOutcomeTest {

    @Test
    void wireNamesAreTheAgentsVocabulary() {
        assertThat(Arrays.stream(LoadOutcome.values()).map(LoadOutcome::wireName))
                .containsExactly("ok", "http_error", "refused", "reset", "closed", "timeout", "dns_error", "tls_error", "other");
        assertThat(LoadOutcome.fromWireName("http_error")).isEqualTo(LoadOutcome.HTTP_ERROR);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200 | OK", "204 | OK", "304 | OK", "199 | HTTP_ERROR", "404 | HTTP_ERROR", "503 | HTTP_ERROR"})
    void statusCodes(int status, LoadOutcome expected) {
        assertThat(LoadOutcome.fromStatus(status)).isEqualTo(expected);
    }

    /** Failure texts as Gatling 3.15 logs them (abbreviated exception packages). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "j.n.ConnectException: Connection refused                                      | REFUSED",
            "i.n.c.AbstractChannel$AnnotatedConnectException: connect(..) failed: Connection refused: /127.0.0.1:9 | REFUSED",
            "Request timeout to 127.0.0.1/127.0.0.1:8080 after 500 ms                      | TIMEOUT",
            "i.n.c.ConnectTimeoutException: connection timed out after 10000 ms           | TIMEOUT",
            "i.n.c.u.Errors$NativeIoException: recvAddress(..) failed: Connection reset by peer | RESET",
            "j.i.IOException: Premature close                                             | CLOSED",
            "i.g.h.c.i.RemotelyClosedException: Remotely closed                           | CLOSED",
            "j.n.UnknownHostException: no-such-host.invalid                               | DNS_ERROR",
            "i.n.h.s.SslHandshakeTimeoutException: handshake timed out after 10000ms      | TIMEOUT",
            "j.x.n.s.SSLHandshakeException: PKIX path building failed                     | TLS_ERROR",
            "status.find.in([200, 209], 304), found 503                                   | HTTP_ERROR",
            "something nobody expected                                                     | OTHER",
    })
    void gatlingFailureMessages(String message, LoadOutcome expected) {
        assertThat(LoadOutcome.fromGatlingMessage(message)).isEqualTo(expected);
    }

    @Test
    void noMessageIsOther() {
        assertThat(LoadOutcome.fromGatlingMessage(null)).isEqualTo(LoadOutcome.OTHER);
        assertThat(LoadOutcome.fromGatlingMessage(" ")).isEqualTo(LoadOutcome.OTHER);
    }
}
