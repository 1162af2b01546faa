package dev.meshproof.agent.load;

import dev.meshproof.agent.call.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GatlingFailuresTest {

    /** Failure texts as Gatling 3.15 logs them (abbreviated exception packages). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "j.n.ConnectException: Connection refused                                      | REFUSED",
            "i.n.c.AbstractChannel$AnnotatedConnectException: connect(..) failed: Connection refused: /127.0.0.1:9 | REFUSED",
            "Request timeout to 127.0.0.1/127.0.0.1:8080 after 500 ms                      | TIMEOUT",
            "i.n.c.ConnectTimeoutException: connection timed out after 10000 ms           | TIMEOUT",
            "i.n.c.u.Errors$NativeIoException: recvAddress(..) failed: Connection reset by peer | RESET",
            "i.n.c.u.Errors$NativeIoException: writeAddress(..) failed: Broken pipe       | RESET",
            "j.n.SocketException: Broken pipe                                              | RESET",
            "j.i.IOException: Premature close                                             | CLOSED",
            "i.g.h.c.i.RemotelyClosedException: Remotely closed                           | CLOSED",
            "j.n.UnknownHostException: no-such-host.invalid                               | DNS_ERROR",
            "i.n.h.s.SslHandshakeTimeoutException: handshake timed out after 10000ms      | TIMEOUT",
            "j.x.n.s.SSLHandshakeException: PKIX path building failed                     | TLS_ERROR",
            "status.find.in([200, 209], 304), found 503                                   | HTTP_ERROR",
            "something nobody expected                                                     | OTHER",
    })
    void gatlingFailureMessages(String message, Outcome expected) {
        assertThat(GatlingFailures.outcomeOf(message)).isEqualTo(expected);
    }

    @Test
    void noMessageIsOther() {
        assertThat(GatlingFailures.outcomeOf(null)).isEqualTo(Outcome.OTHER);
        assertThat(GatlingFailures.outcomeOf(" ")).isEqualTo(Outcome.OTHER);
    }
}
