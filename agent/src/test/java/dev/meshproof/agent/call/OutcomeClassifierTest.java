package dev.meshproof.agent.call;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The branches of the mapping that loopback cannot provoke (CallOutcomesTest provokes the rest for real):
 * precedence of socket-level causes over TLS wrappers, and the exception texts Linux uses.
 */
class OutcomeClassifierTest {

    @Test
    void resetInsideATlsHandshakeIsResetNotTlsError() {
        assertThat(OutcomeClassifier.classify(new SSLException("handshake failed", new SocketException("Connection reset"))))
                .isEqualTo(Outcome.RESET);
    }

    @Test
    void tlsFailureWithoutASocketCauseIsTlsError() {
        assertThat(OutcomeClassifier.classify(new SSLHandshakeException("PKIX path building failed"))).isEqualTo(Outcome.TLS_ERROR);
    }

    @Test
    void connectTimedOutIsTimeoutAndConnectRefusedIsRefused() {
        assertThat(OutcomeClassifier.classify(new ConnectException("Connection timed out"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.classify(new ConnectException("Connection refused"))).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void brokenPipeIsReset() {
        assertThat(OutcomeClassifier.classify(new SocketException("Broken pipe"))).isEqualTo(Outcome.RESET);
    }

    @Test
    void unreachableNetworkAndUnknownIoFailuresAreOther() {
        assertThat(OutcomeClassifier.classify(new NoRouteToHostException("No route to host"))).isEqualTo(Outcome.OTHER);
        assertThat(OutcomeClassifier.classify(new SocketException("Network is unreachable"))).isEqualTo(Outcome.OTHER);
        assertThat(OutcomeClassifier.classify(new IOException("something else"))).isEqualTo(Outcome.OTHER);
    }

    @Test
    void describeListsTheWholeCauseChain() {
        assertThat(OutcomeClassifier.describe(new SSLException("outer", new SocketException("Connection reset"))))
                .isEqualTo("javax.net.ssl.SSLException: outer <- java.net.SocketException: Connection reset");
    }

    @Test
    void everyOutcomeHasItsWireNameAndParsesBack() {
        assertThat(Outcome.allWireNames()).isEqualTo("ok, http_error, refused, reset, closed, timeout, dns_error, tls_error, other");
        for (Outcome o : Outcome.values()) {
            assertThat(Outcome.fromWireName(o.wireName())).isSameAs(o);
        }
    }
}
