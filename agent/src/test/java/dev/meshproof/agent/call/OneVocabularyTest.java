package dev.meshproof.agent.call;

import dev.meshproof.agent.load.GatlingFailures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call API and the load engine name the same failure the same way: the socket exception the call
 * client sees, and the text Gatling logs for it (abbreviated packages), map to one {@link Outcome}.
 */
class OneVocabularyTest {

    static Stream<Object[]> sameFailureBothWays() {
        return Stream.of(
                new Object[]{new ConnectException("Connection refused"), "j.n.ConnectException: Connection refused", Outcome.REFUSED},
                new Object[]{new SocketException("Connection reset"), "j.n.SocketException: Connection reset", Outcome.RESET},
                // a write into a connection the peer reset: reset for both, not closed
                new Object[]{new SocketException("Broken pipe"), "j.n.SocketException: Broken pipe", Outcome.RESET},
                new Object[]{new SocketTimeoutException("Read timed out"), "j.n.SocketTimeoutException: Read timed out", Outcome.TIMEOUT},
                new Object[]{new UnknownHostException("no-such-host.invalid"), "j.n.UnknownHostException: no-such-host.invalid", Outcome.DNS_ERROR},
                new Object[]{new SSLHandshakeException("PKIX path building failed"), "j.x.n.s.SSLHandshakeException: PKIX path building failed", Outcome.TLS_ERROR});
    }

    @ParameterizedTest
    @MethodSource("sameFailureBothWays")
    void callApiAndLoadEngineAgree(Throwable socketFailure, String gatlingText, Outcome expected) {
        assertThat(OutcomeClassifier.classify(socketFailure)).as("call API").isEqualTo(expected);
        assertThat(GatlingFailures.outcomeOf(gatlingText)).as("load engine").isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200 | OK", "204 | OK", "304 | OK", "399 | OK", "400 | HTTP_ERROR", "403 | HTTP_ERROR", "503 | HTTP_ERROR"})
    void httpStatuses(int status, Outcome expected) {
        assertThat(Outcome.ofHttpStatus(status)).isEqualTo(expected);
    }
}
