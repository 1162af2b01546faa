package dev.meshproof.suites;

import dev.meshproof.agent.call.CallResult;
import dev.meshproof.conformance.DataPlane;

import java.util.Map;

/**
 * One part of what an L7 proxy does, as the {@link ScriptedMesh} plays it: it sees every HTTP request an L7 proxy is
 * in the path of (ambient: a waypoint the Service or namespace is bound to; sidecar: the sidecars) and may answer it
 * instead of the server (a refusal), choose the server version that answers (routing), and observe what was answered
 * (access logs, metrics, spans). Each behaviour reads its configuration from the mock API server, as istiod would,
 * and can misbehave the way a broken proxy would.
 */
public interface L7Behaviour {

    /**
     * One HTTP request as an L7 proxy sees it.
     *
     * @param clientNamespace the calling workload's namespace
     * @param client          the calling workload's name (its service account)
     * @param principal       its principal ({@code cluster.local/ns/<ns>/sa/<name>}), null for a plaintext client
     * @param serverNamespace the server's namespace
     * @param service         the Service called ({@code echo}, {@code echo-v2})
     * @param port            the port called
     * @param method          the HTTP method
     * @param path            the path (without query)
     * @param headers         the request headers, names lower case (the stamped {@code x-request-id}, {@code traceparent} too)
     * @param dataPlane       the server's data plane
     * @param waypoint        the waypoint in the path (ambient), null in sidecar mode
     */
    record Request(String clientNamespace, String client, String principal, String serverNamespace, String service, int port,
                   String method, String path, Map<String, String> headers, DataPlane dataPlane, String waypoint) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** An answer instead of the server's (e.g. a 403 refusal), or null to pass the request on. */
    default CallResult answer(Request request) {
        return null;
    }

    /** The server version that answers the request ({@code v1}, {@code v2}), or null for no opinion. */
    default String route(Request request, java.util.List<String> versions) {
        return null;
    }

    /** Sees every request and what it was answered (access logs, metrics, spans). */
    default void observe(Request request, CallResult result) {
    }

    /** The metrics bodies of the L7 proxies this behaviour plays (waypoints, sidecars), scraped now. */
    default java.util.List<dev.meshproof.evidence.MetricsScrape> scrapes(DataPlane dataPlane, String label) {
        return java.util.List.of();
    }

    /** The logs of the L7 proxies this behaviour plays. */
    default java.util.List<dev.meshproof.evidence.LogCapture> logs(DataPlane dataPlane) {
        return java.util.List.of();
    }

    /** What a pod this behaviour plays answers to {@code GET pathAndQuery} (e.g. a trace collector), or null. */
    default String get(String namespace, String app, int port, String pathAndQuery) {
        return null;
    }
}
