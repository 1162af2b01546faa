package dev.meshproof.agent.call;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.LocalAgent;
import dev.meshproof.agent.MisbehavingServer;
import dev.meshproof.agent.MisbehavingServer.Behaviour;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every outcome of the call API provoked for real on 127.0.0.1 and sent through {@code POST /call}:
 * each provocation must yield exactly its outcome and no other.
 */
class CallOutcomesTest {
    private static LocalAgent client;
    private static LocalAgent server;

    @BeforeAll
    static void start() throws Exception {
        client = LocalAgent.start();
        server = LocalAgent.start(new AgentIdentity("echo-v1-5d9c7", "mesh-ns", "echo", "v1"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static CallResult single(CallRequest request) {
        CallResponse response = client.call(request);
        assertThat(response.results()).hasSize(1);
        return response.results().get(0);
    }

    @Test
    void agentToAgentIsOkWithTheServersIdentityAndThePeerAddress() {
        CallResult r = single(CallRequest.to(server.echoUrl("/echo/hello?x=1")));
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.error()).isNull();
        assertThat(r.echo().pod()).isEqualTo("echo-v1-5d9c7");
        assertThat(r.echo().namespace()).isEqualTo("mesh-ns");
        assertThat(r.echo().serviceAccount()).isEqualTo("echo");
        assertThat(r.echo().version()).isEqualTo("v1");
        assertThat(r.echo().peerAddress()).isEqualTo("127.0.0.1");
        assertThat(r.echo().path()).isEqualTo("/echo/hello");
        assertThat(r.echo().query()).isEqualTo("x=1");
        assertThat(r.latencyMicros()).isPositive();
    }

    @Test
    void closedPortIsRefused() throws Exception {
        CallResult r = single(CallRequest.to("http://127.0.0.1:" + LocalAgent.closedPort() + "/echo"));
        assertThat(r.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(r.status()).isNull();
        assertThat(r.error()).contains("Connection refused");
    }

    @Test
    void closedTcpPortIsRefused() throws Exception {
        assertThat(single(CallRequest.to("tcp://127.0.0.1:" + LocalAgent.closedPort())).outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void httpServerResettingWithLingerZeroIsReset() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.start(Behaviour.RESET)) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/echo"));
            assertThat(r.outcome()).isEqualTo(Outcome.RESET);
            assertThat(r.error()).containsIgnoringCase("connection reset");
        }
    }

    @Test
    void tcpServerResettingWithLingerZeroIsReset() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.start(Behaviour.RESET)) {
            assertThat(single(CallRequest.to("tcp://127.0.0.1:" + s.port())).outcome()).isEqualTo(Outcome.RESET);
        }
    }

    @Test
    void httpServerClosingCleanlyWithoutReplyIsClosed() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.start(Behaviour.CLOSE)) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/echo"));
            assertThat(r.outcome()).isEqualTo(Outcome.CLOSED);
            assertThat(r.error()).contains("peer closed the connection without replying");
        }
    }

    @Test
    void tcpServerClosingCleanlyWithoutReplyIsClosed() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.start(Behaviour.CLOSE)) {
            assertThat(single(CallRequest.to("tcp://127.0.0.1:" + s.port())).outcome()).isEqualTo(Outcome.CLOSED);
        }
    }

    @Test
    void serverThatAcceptsAndNeverAnswersIsTimeoutAfterTheCallsTimeout() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.start(Behaviour.SILENT)) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/echo").withTimeoutMs(300));
            assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(r.latencyMicros()).isBetween(290_000L, 5_000_000L); // generous: a shared 2-core machine
        }
    }

    @Test
    void forbiddenWithBodyIsHttpErrorWithStatusAndBody() throws Exception {
        String rbac = "HTTP/1.1 403 Forbidden\r\ncontent-length: 19\r\ncontent-type: text/plain\r\n\r\nRBAC: access denied";
        try (MisbehavingServer s = MisbehavingServer.replying(rbac)) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/echo"));
            assertThat(r.outcome()).isEqualTo(Outcome.HTTP_ERROR);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("RBAC: access denied");
            assertThat(r.echo()).isNull(); // not an agent
        }
    }

    @Test
    void responseDelimitedByTheEndOfTheStreamIsOk() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.replying("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nplain text")) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/"));
            assertThat(r.outcome()).isEqualTo(Outcome.OK);
            assertThat(r.body()).isEqualTo("plain text");
        }
    }

    @Test
    void truncatedResponseIsClosedNotOk() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.replying("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this")) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/"));
            assertThat(r.outcome()).as(r.error()).isEqualTo(Outcome.CLOSED);
            assertThat(r.error()).contains("incomplete reply");
        }
    }

    @Test
    void agentAnsweringWithAnErrorStatusIsHttpErrorAndStillCarriesTheEcho() {
        CallResult r = single(CallRequest.to(server.echoUrl("/echo?status=503")));
        assertThat(r.outcome()).isEqualTo(Outcome.HTTP_ERROR);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.echo().version()).isEqualTo("v1");
    }

    @Test
    void unresolvableNameIsDnsError() {
        // The test JVM resolves through a hosts file only (agent/pom.xml), so this sends no DNS query anywhere.
        CallResult r = single(CallRequest.to("http://no-such-service.mesh-ns.invalid:8080/echo"));
        assertThat(r.outcome()).isEqualTo(Outcome.DNS_ERROR);
        assertThat(r.error()).contains("UnknownHostException");
    }

    @Test
    void tlsToAPlainHttpPortIsTlsError() {
        CallResult r = single(CallRequest.to("https://127.0.0.1:" + server.server().httpPort() + "/echo"));
        assertThat(r.outcome()).isEqualTo(Outcome.TLS_ERROR);
        assertThat(r.error()).contains("SSL");
    }

    @Test
    void malformedResponseIsOther() throws Exception {
        try (MisbehavingServer s = MisbehavingServer.replying("this is not HTTP at all\r\n\r\n")) {
            CallResult r = single(CallRequest.to("http://127.0.0.1:" + s.port() + "/"));
            assertThat(r.outcome()).isEqualTo(Outcome.OTHER);
            assertThat(r.error()).contains("malformed HTTP response");
        }
    }

    @Test
    void summaryCountsEachOutcome() throws Exception {
        CallResponse ok = client.call(CallRequest.to(server.echoUrl("/echo")).withCount(3));
        assertThat(ok.summary()).containsExactly(org.assertj.core.api.Assertions.entry(Outcome.OK, 3));
        assertThat(ok.all(Outcome.OK)).isTrue();
        CallResponse refused = client.call(CallRequest.to("tcp://127.0.0.1:" + LocalAgent.closedPort()).withCount(2));
        assertThat(refused.count(Outcome.REFUSED)).isEqualTo(2);
        assertThat(refused.all(Outcome.OK)).isFalse();
    }
}
