package dev.meshproof.agent.call;

import dev.meshproof.agent.LocalAgent;
import dev.meshproof.agent.MisbehavingServer;
import dev.meshproof.agent.server.ServerStats;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the call API promises about connections and parallelism, proven by counting on the server side:
 * {@code newConnectionPerCall} opens exactly {@code count} connections, keep-alive exactly {@code concurrency}.
 */
class CallSemanticsTest {
    private static LocalAgent client;
    private static LocalAgent target;

    @BeforeAll
    static void start() throws Exception {
        client = LocalAgent.start();
        target = LocalAgent.start();
    }

    @AfterAll
    static void stop() {
        client.close();
        target.close();
    }

    private static ServerStats.Snapshot stats() {
        return target.server().stats().snapshot();
    }

    @Test
    void newConnectionPerCallOpensOneConnectionForEveryCall() {
        long before = stats().httpConnectionsAccepted();
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withCount(6).withNewConnectionPerCall(true));
        assertThat(r.all(Outcome.OK)).isTrue();
        assertThat(stats().httpConnectionsAccepted() - before).isEqualTo(6);
        assertThat(r.results()).extracting(res -> res.echo().peerPort()).doesNotHaveDuplicates();
    }

    @Test
    void keepAliveReusesOneConnectionPerWorker() {
        long before = stats().httpConnectionsAccepted();
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withCount(6));
        assertThat(r.all(Outcome.OK)).isTrue();
        assertThat(stats().httpConnectionsAccepted() - before).isEqualTo(1);
        assertThat(r.results()).extracting(res -> res.echo().peerPort()).containsOnly(r.results().get(0).echo().peerPort());
    }

    @Test
    void concurrencyRunsThatManyCallsAtOnceOnThatManyConnections() {
        long before = stats().httpConnectionsAccepted();
        long start = System.nanoTime();
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo?delayMs=1000")).withCount(8).withConcurrency(4));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.all(Outcome.OK)).isTrue();
        assertThat(stats().httpConnectionsAccepted() - before).isEqualTo(4);
        assertThat(stats().echoMaxInFlight()).isGreaterThanOrEqualTo(4);
        assertThat(tookMs).as("8 calls of 1000 ms, 4 at a time (2000 ms): serial would take 8000 ms").isLessThan(6000L);
    }

    @Test
    void concurrencyWithNewConnectionsStillOpensOnePerCall() {
        long before = stats().httpConnectionsAccepted();
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withCount(8).withConcurrency(4).withNewConnectionPerCall(true));
        assertThat(r.all(Outcome.OK)).isTrue();
        assertThat(stats().httpConnectionsAccepted() - before).isEqualTo(8);
    }

    @Test
    void stampedCallsEachCarryTheirOwnRequestIdAndTraceparentAsRecorded() {
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withCount(4).withStamp(true));
        assertThat(r.all(Outcome.OK)).isTrue();
        for (CallResult res : r.results()) {
            assertThat(res.sent()).containsOnlyKeys(CallStamp.REQUEST_ID, CallStamp.TRACEPARENT);
            assertThat(res.echo().header(CallStamp.REQUEST_ID)).as("what the server saw").isEqualTo(res.sent().get(CallStamp.REQUEST_ID));
            assertThat(res.echo().header(CallStamp.TRACEPARENT)).isEqualTo(res.sent().get(CallStamp.TRACEPARENT))
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        }
        assertThat(r.results()).extracting(res -> res.sent().get(CallStamp.REQUEST_ID)).doesNotHaveDuplicates();
        assertThat(r.results()).extracting(res -> res.sent().get(CallStamp.TRACEPARENT)).doesNotHaveDuplicates();
    }

    @Test
    void anExplicitHeaderIsNotStampedOverAndUnstampedCallsRecordNothing() {
        CallResponse stamped = client.call(CallRequest.to(target.echoUrl("/echo")).withStamp(true)
                .withHeaders(Map.of("X-Request-Id", "mine")));
        assertThat(stamped.results().get(0).sent()).containsOnlyKeys(CallStamp.TRACEPARENT);
        assertThat(stamped.results().get(0).echo().header(CallStamp.REQUEST_ID)).isEqualTo("mine");
        CallResponse plain = client.call(CallRequest.to(target.echoUrl("/echo")));
        assertThat(plain.results().get(0).sent()).isNull();
        assertThat(plain.results().get(0).echo().header(CallStamp.TRACEPARENT)).isNull();
    }

    @Test
    void tcpCallsFollowTheSameConnectionRules() {
        long before = stats().tcpConnectionsAccepted();
        CallResponse fresh = client.call(CallRequest.to(target.tcpUrl()).withBody("hello").withCount(3).withNewConnectionPerCall(true));
        assertThat(fresh.results()).extracting(CallResult::reply).containsOnly("hello");
        assertThat(stats().tcpConnectionsAccepted() - before).isEqualTo(3);
        CallResponse kept = client.call(CallRequest.to(target.tcpUrl()).withCount(3));
        assertThat(kept.results()).extracting(CallResult::reply).containsOnly(CallRequest.DEFAULT_TCP_LINE);
        assertThat(stats().tcpConnectionsAccepted() - before).isEqualTo(4);
    }

    @Test
    void headersMethodAndBodyReachTheServer() {
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo/x")).withMethod("PUT").withBody("payload")
                .withHeaders(Map.of("x-user-type", "admin", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));
        CallResult res = r.results().get(0);
        assertThat(res.echo().method()).isEqualTo("PUT");
        assertThat(res.echo().header("x-user-type")).isEqualTo("admin");
        assertThat(res.echo().header("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(res.echo().header("content-length")).isEqualTo("7");
    }

    @Test
    void headRequestsShareAKeptAliveConnectionWithoutReadingABody() {
        long before = stats().httpConnectionsAccepted();
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withMethod("HEAD").withCount(3).withTimeoutMs(2000));
        assertThat(r.results()).allSatisfy(res -> {
            assertThat(res.outcome()).as(res.error()).isEqualTo(Outcome.OK);
            assertThat(res.status()).isEqualTo(200);
        });
        assertThat(stats().httpConnectionsAccepted() - before).isEqualTo(1);
    }

    @Test
    void staleKeptAliveConnectionIsRetriedOnceOnAFreshConnection() throws Exception {
        // The server answers as if keeping the connection alive, then closes it: the next call on it finds it dead.
        try (MisbehavingServer s = MisbehavingServer.replying("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")) {
            CallResponse r = client.call(CallRequest.to("http://127.0.0.1:" + s.port() + "/").withCount(3));
            assertThat(r.all(Outcome.OK)).as(r.summary().toString()).isTrue();
            assertThat(s.accepted()).isEqualTo(3);
        }
    }

    @Test
    void resultsKeepCallOrderAndCount() {
        CallResponse r = client.call(CallRequest.to(target.echoUrl("/echo")).withCount(20).withConcurrency(5));
        assertThat(r.results()).hasSize(20).allSatisfy(res -> assertThat(res.outcome()).isEqualTo(Outcome.OK));
        assertThat(r.summary()).containsEntry(Outcome.OK, 20);
    }

    @Test
    void invalidRequestsAre400NamingTheField() {
        int port = client.server().httpPort();
        expect400(port, "{\"url\":\"http://127.0.0.1:1/\",\"cont\":1}",
                "unknown field 'cont'; known: url, count, timeoutMs, headers, method, body, newConnectionPerCall, concurrency");
        expect400(port, "{\"url\":\"http://127.0.0.1:1/\",\"count\":0}", "field 'count' is 0; allowed: 1..10000");
        expect400(port, "{\"url\":\"http://127.0.0.1:1/\",\"concurrency\":65}", "field 'concurrency' is 65; allowed: 1..64");
        expect400(port, "{\"url\":\"http://127.0.0.1:1/\",\"timeoutMs\":60001}", "field 'timeoutMs' is 60001; allowed: 1..60000");
        expect400(port, "{\"url\":\"ftp://x/\"}", "field 'url' has scheme 'ftp'; supported: http, https, tcp (got \"ftp://x/\")");
        expect400(port, "{\"url\":\"tcp://echo\"}", "field 'url' needs a port for tcp: \"tcp://echo\"");
        expect400(port, "{\"count\":1}", "field 'url' is required, e.g. \"http://echo:8080/echo\" or \"tcp://echo:9000\"");
        expect400(port, "{\"url\":\"http://x/\",\"headers\":{\"bad name\":\"v\"}}", "field 'headers' has an invalid header name: \"bad name\"");
        expect400(port, "{\"url\":\"http://x/\",\"method\":\"GE T\"}", "field 'method' is not an HTTP method token: \"GE T\"");
        given().port(port).contentType(ContentType.JSON).body("{\"url\":\"http://x/\",\"count\":\"many\"}").when().post("/call")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.containsString("(field 'count')"));
        given().port(port).contentType(ContentType.JSON).body("not json").when().post("/call")
                .then().statusCode(400).body("error", org.hamcrest.Matchers.startsWith("body is not a valid call request"));
    }

    private static void expect400(int port, String body, String error) {
        given().port(port).contentType(ContentType.JSON).body(body).when().post("/call")
                .then().statusCode(400).body("error", equalTo(error));
    }
}
