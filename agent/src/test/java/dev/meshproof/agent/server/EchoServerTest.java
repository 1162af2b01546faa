package dev.meshproof.agent.server;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.LocalAgent;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** The echo endpoint, the TCP echo, health, readiness and stats on 127.0.0.1. */
class EchoServerTest {
    private static LocalAgent agent;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        agent = LocalAgent.start(new AgentIdentity("echo-v2-77f", "ns-a", "echo-sa", "v2"));
        port = agent.server().httpPort();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void reflectsMethodPathQueryAndEveryRequestHeaderExactly() {
        given().port(port)
                .header("x-user-type", "beta")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("X-Forwarded-Client-Cert", "By=spiffe://cluster.local/ns/ns-a/sa/echo-sa;URI=spiffe://cluster.local/ns/ns-a/sa/client")
                .header("x-multi", "one").header("x-multi", "two")
                .when().post("/echo/a/b?k=v")
                .then().statusCode(200)
                .header("x-meshproof-agent", equalTo("0.1.0-SNAPSHOT"))
                .body("method", equalTo("POST"))
                .body("path", equalTo("/echo/a/b"))
                .body("query", equalTo("k=v"))
                .body("protocol", equalTo("HTTP/1.1"))
                .body("headers.x-user-type", contains("beta"))
                .body("headers.traceparent", contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .body("headers.x-forwarded-client-cert[0]", containsString("sa/client"))
                .body("headers.x-multi", contains("one", "two"))
                .body("pod", equalTo("echo-v2-77f")).body("namespace", equalTo("ns-a"))
                .body("serviceAccount", equalTo("echo-sa")).body("version", equalTo("v2"))
                .body("peerAddress", equalTo("127.0.0.1"));
    }

    @Test
    void doesNotInventHeadersTheClientDidNotSend() {
        given().port(port).when().get("/echo")
                .then().statusCode(200).body("headers.content-length", nullValue());
    }

    @Test
    void sizeMakesTheBodyExactlyThatLongAndStillValidJson() {
        for (int size : new int[]{1024, 4096, 65536}) {
            Response r = given().port(port).when().get("/echo?size=" + size);
            assertThat(r.getBody().asByteArray()).hasSize(size);
            assertThat(r.jsonPath().getString("padding")).matches("x+");
            assertThat(r.jsonPath().getString("method")).isEqualTo("GET");
        }
    }

    @Test
    void sizeBelowTheEchoItselfLeavesTheEchoWhole() {
        Response r = given().port(port).when().get("/echo?size=10");
        assertThat(r.getBody().asByteArray().length).isGreaterThan(10);
        assertThat(r.jsonPath().getString("padding")).isNull();
    }

    @Test
    void delayHoldsTheAnswerBack() {
        long start = System.nanoTime();
        given().port(port).when().get("/echo?delayMs=1000").then().statusCode(200);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).isBetween(1000L, 10_000L);
        long startFast = System.nanoTime();
        given().port(port).when().get("/echo").then().statusCode(200);
        assertThat((System.nanoTime() - startFast) / 1_000_000).isLessThan(1000L);
    }

    @Test
    void statusParameterSetsTheStatus() {
        given().port(port).when().get("/echo?status=403").then().statusCode(403).body("version", equalTo("v2"));
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        given().port(port).when().get("/echo?size=-1").then().statusCode(400)
                .body("error", equalTo("query parameter 'size' is \"-1\"; allowed: integer 0..1048576"));
        given().port(port).when().get("/echo?delayMs=abc").then().statusCode(400).body("error", containsString("'delayMs'"));
        given().port(port).when().get("/echo?status=99").then().statusCode(400).body("error", containsString("'status'"));
    }

    @Test
    void unknownPathIs404ListingTheRoutes() {
        given().port(port).when().get("/nope").then().statusCode(404).body("error", containsString("/echo[/...], POST /call"));
        given().port(port).when().get("/echoes").then().statusCode(404);
    }

    @Test
    void callTakesOnlyPost() {
        given().port(port).when().get("/call").then().statusCode(405);
    }

    @Test
    void healthAndReadiness() {
        given().port(port).when().get("/healthz").then().statusCode(200).body(equalTo("ok\n"));
        given().port(port).when().get("/readyz").then().statusCode(200).body(equalTo("ready\n"));
    }

    @Test
    void listenersStopOnClose() throws Exception {
        LocalAgent other = LocalAgent.start();
        int otherPort = other.server().httpPort();
        int otherTcpPort = other.server().tcpPort();
        assertThat(LocalAgentPortProbe.accepts(otherPort)).isTrue();
        other.close();
        assertThat(LocalAgentPortProbe.accepts(otherPort)).isFalse();
        assertThat(LocalAgentPortProbe.accepts(otherTcpPort)).isFalse();
    }

    @Test
    void tcpEchoSendsEveryLineBackOnOneConnection() throws Exception {
        long before = agent.server().stats().snapshot().tcpConnectionsAccepted();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.server().tcpPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write("first line\nsecond ünicode line\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("first line");
            assertThat(in.readLine()).isEqualTo("second ünicode line");
            out.write("third\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("third");
        }
        assertThat(agent.server().stats().snapshot().tcpConnectionsAccepted() - before).isEqualTo(1);
    }

    @Test
    void statsCountConnectionsAndRequests() {
        given().port(port).when().get("/stats").then().statusCode(200)
                .body("httpConnectionsAccepted", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("httpRequests", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    /** Whether anything still accepts connections on a loopback port. */
    static final class LocalAgentPortProbe {
        static boolean accepts(int port) {
            try (Socket s = new Socket()) {
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }
}
