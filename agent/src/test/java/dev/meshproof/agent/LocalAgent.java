package dev.meshproof.agent;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.server.AgentServer;
import io.restassured.http.ContentType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static io.restassured.RestAssured.given;

/** An agent on 127.0.0.1 (random ports) for a test, and a REST Assured client for its call API. */
public final class LocalAgent implements AutoCloseable {
    private final AgentServer server;

    private LocalAgent(AgentServer server) {
        this.server = server;
    }

    public static LocalAgent start(AgentIdentity identity) throws Exception {
        return new LocalAgent(AgentServer.start(AgentServer.Config.loopback(0, 0, identity)));
    }

    public static LocalAgent start() throws Exception {
        return start(new AgentIdentity("local-agent", "", "", ""));
    }

    public AgentServer server() {
        return server;
    }

    public String echoUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + server.httpPort() + pathAndQuery;
    }

    public String tcpUrl() {
        return "tcp://127.0.0.1:" + server.tcpPort();
    }

    /** POST /call, expecting 200, parsed with the agent's own mapper. */
    public CallResponse call(CallRequest request) {
        String json = given().port(server.httpPort()).contentType(ContentType.JSON).body(write(request))
                .when().post("/call")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().asString();
        try {
            return Json.MAPPER.readValue(json, CallResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException("call API answer is not a CallResponse: " + json, e);
        }
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on: bound once to get a free number, then closed again. */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
