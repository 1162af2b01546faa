package dev.meshproof.conformance;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.core.Scope;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;

import java.time.Instant;
import java.util.List;

/**
 * What a check needs from the mesh under test besides the Kubernetes API: its clients' call APIs, and the
 * proxies' metrics and logs. {@link LiveMeshAccess} reaches them in a cluster; tests substitute a scripted mesh
 * that can misbehave, so the checks' drive → evidence → verdict path runs without one.
 */
public interface MeshAccess {

    /** Makes calls from inside a client pod; answers the agent's call-API response as the exact JSON text. */
    @FunctionalInterface
    interface Caller {
        String call(CallRequest request);
    }

    /** The call API of the client workload {@code name} (label {@code app=<name>}) in {@code namespace}; closed by {@code scope}. */
    Caller caller(String namespace, String name, Scope scope);

    /**
     * Every proxy's metrics body, as served, now ({@code label}: before or after): ambient's ztunnels and the
     * waypoints in {@code namespaces}, or the sidecars of the pods in {@code namespaces}.
     */
    List<MetricsScrape> scrapeProxies(DataPlane dataPlane, java.util.Collection<String> namespaces, String label);

    /**
     * The proxies' log lines since {@code since}, as logged: ambient's ztunnels and the waypoints in {@code namespaces},
     * or the sidecars ({@code istio-proxy} containers) of the pods in {@code namespaces}.
     */
    List<LogCapture> proxyLogs(DataPlane dataPlane, java.util.Collection<String> namespaces, Instant since);

    /**
     * The body a pod of the workload {@code app} in {@code namespace} answers to {@code GET pathAndQuery} on {@code port},
     * read from outside the mesh (e.g. the spans a check's own collector received); null when it answers an error.
     */
    String get(String namespace, String app, int port, String pathAndQuery);
}
