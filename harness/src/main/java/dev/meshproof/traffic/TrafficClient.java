package dev.meshproof.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.Objects;

import static io.restassured.RestAssured.given;

/**
 * Drives an agent's call API ({@code POST /call}) and hands back its {@link CallResponse}. In a cluster it reaches
 * the client pod through a fabric8 port-forward, so the calls themselves start inside the mesh, from the pod's
 * identity; on this machine it talks to a local agent directly. Requests and answers go through REST Assured,
 * which checks the call API answered 200 with JSON before the body is parsed.
 */
public final class TrafficClient {
    /** The agent's HTTP port in the fixtures. */
    public static final int AGENT_HTTP_PORT = 8080;

    private final String host;
    private final int port;
    private final String description;

    private TrafficClient(String host, int port, String description) {
        this.host = host;
        this.port = port;
        this.description = description;
    }

    /** An agent reachable directly, e.g. {@code ./meshproof agent} or a container's mapped port on 127.0.0.1. */
    public static TrafficClient at(String host, int port) {
        return new TrafficClient(host, port, "agent at " + host + ":" + port);
    }

    /**
     * The call API of the first ready pod labelled {@code app=<app>} in {@code namespace}, through a port-forward
     * on 127.0.0.1 that {@code scope} closes.
     */
    public static TrafficClient viaPortForward(KubernetesClient client, String namespace, String app, Scope scope) {
        Pod pod = client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                .filter(TrafficClient::isReady).findFirst()
                .orElseThrow(() -> MeshproofException.environment("no ready pod with app=" + app + " in namespace " + namespace,
                        "deploy the client first (fixtures/workloads/agent-client.yaml) and wait for it; kubectl -n " + namespace
                                + " get pods -l app=" + app, null));
        String name = pod.getMetadata().getName();
        LocalPortForward forward = client.pods().inNamespace(namespace).withName(name).portForward(AGENT_HTTP_PORT);
        scope.onClose("close port-forward to " + namespace + "/" + name, forward::close);
        Progress.info("port-forward 127.0.0.1:" + forward.getLocalPort() + " -> " + namespace + "/" + name + ":" + AGENT_HTTP_PORT);
        return new TrafficClient("127.0.0.1", forward.getLocalPort(), "pod " + namespace + "/" + name);
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> Objects.equals(c.getType(), "Ready") && Objects.equals(c.getStatus(), "True"));
    }

    /** Asks the agent to make the calls; fails with the agent's own error text when it rejects the request (400). */
    public CallResponse call(CallRequest request) {
        String json = callRaw(request);
        try {
            return Json.MAPPER.readValue(json, CallResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the " + description + " answered something that is not a call response: " + json, e);
        }
    }

    /** As {@link #call}, but the agent's answer exactly as it came (the JSON text), for evidence. */
    public String callRaw(CallRequest request) {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise call request", e);
        }
        Response response = given().baseUri("http://" + host).port(port).contentType(ContentType.JSON).body(body)
                .when().post("/call");
        if (response.statusCode() == 400) {
            throw MeshproofException.usage("the " + description + " rejected the call request: " + response.jsonPath().getString("error"),
                    "fix the call request; fields are listed in docs/agent.md (The call API)");
        }
        return response.then().statusCode(200).contentType(ContentType.JSON).extract().asString();
    }

    /** The local port the call API is reached on (the port-forward's local end, for a pod). */
    public int port() {
        return port;
    }

    public String description() {
        return description;
    }
}
