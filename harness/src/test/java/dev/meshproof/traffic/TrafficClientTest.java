package dev.meshproof.traffic;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.agent.server.AgentServer;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The harness's traffic client against real agents on 127.0.0.1, and the eventually/consistently waits on real calls. */
class TrafficClientTest {
    private static AgentServer client;
    private static AgentServer echo;
    private static TrafficClient traffic;

    @BeforeAll
    static void start() throws Exception {
        client = AgentServer.start(AgentServer.Config.loopback(0, 0, new AgentIdentity("client-1", "ns", "client", "")));
        echo = AgentServer.start(AgentServer.Config.loopback(0, 0, new AgentIdentity("echo-v1-1", "ns", "echo", "v1")));
        traffic = TrafficClient.at("127.0.0.1", client.httpPort());
    }

    @AfterAll
    static void stop() {
        client.close();
        echo.close();
    }

    @Test
    void callsThroughTheClientAgentAndParsesTheResults() {
        CallResponse r = traffic.call(CallRequest.to("http://127.0.0.1:" + echo.httpPort() + "/echo").withCount(3));
        assertThat(r.all(Outcome.OK)).isTrue();
        assertThat(r.results()).extracting(x -> x.echo().version()).containsOnly("v1");
    }

    @Test
    void rejectedRequestIsUsageErrorWithTheAgentsMessage() {
        assertThatThrownBy(() -> traffic.call(CallRequest.to("ftp://x/")))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("the agent at 127.0.0.1:" + client.httpPort()
                            + " rejected the call request: field 'url' has scheme 'ftp'; supported: http, https, tcp (got \"ftp://x/\")");
                });
    }

    @Test
    void consistentlyHoldsForARefusedPortAndFailsOnceItAnswers() throws Exception {
        int port = closedPort();
        CallRequest probe = CallRequest.to("tcp://127.0.0.1:" + port).withNewConnectionPerCall(true).withTimeoutMs(1000);
        Expect.consistently("port " + port + " stays refused", Duration.ofSeconds(1), Duration.ofMillis(200),
                () -> traffic.call(probe), r -> r.all(Outcome.REFUSED));
        try (ServerSocket now = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            // something listens now: the connect succeeds, so "stays refused" must fail at once
            assertThatThrownBy(() -> Expect.consistently("port " + port + " stays refused", Duration.ofSeconds(5), Duration.ofMillis(200),
                    () -> traffic.call(probe.withTimeoutMs(300)), r -> r.all(Outcome.REFUSED)))
                    .isInstanceOf(Expect.NotMet.class)
                    .hasMessageStartingWith("port " + port + " stays refused: violated after")
                    .hasMessageContaining("{timeout=1}");
        }
    }

    @Test
    void eventuallyReturnsTheSatisfyingResponse() {
        CallResponse ok = Expect.eventually("echo answers", Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> traffic.call(CallRequest.to("http://127.0.0.1:" + echo.httpPort() + "/echo")), r -> r.all(Outcome.OK));
        assertThat(ok.results().get(0).echo().pod()).isEqualTo("echo-v1-1");
    }

    @Test
    void eventuallyFailsWithTheLastObservation() throws Exception {
        int port = closedPort();
        assertThatThrownBy(() -> Expect.eventually("port " + port + " answers", Duration.ofMillis(800), Duration.ofMillis(200),
                () -> traffic.call(CallRequest.to("http://127.0.0.1:" + port + "/echo")), r -> r.all(Outcome.OK)))
                .isInstanceOfSatisfying(Expect.NotMet.class, e -> {
                    assertThat(e.getMessage()).startsWith("port " + port + " answers: not within 0.8s; last seen {refused=1}; first error: java.net.ConnectException");
                    assertThat(e.lastSeen().count(Outcome.REFUSED)).isEqualTo(1);
                });
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
