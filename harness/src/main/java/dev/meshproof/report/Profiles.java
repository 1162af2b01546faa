package dev.meshproof.report;

import java.util.List;

/**
 * Which conformance profile a check reports under, in the ConformanceReport. Gateway API's profiles (GATEWAY-HTTP,
 * MESH-HTTP, …) name what their own suite tests; Meshproof's checks of what GAMMA tests (header routing) report
 * under {@code MESH-HTTP}, and what no Gateway API profile covers gets a Meshproof profile of the same shape.
 */
public final class Profiles {
    /** mTLS and authorization. */
    public static final String SECURITY = "MESHPROOF-SECURITY";
    /** Metrics, access logs and traces as a feature of their own. */
    public static final String TELEMETRY = "MESHPROOF-TELEMETRY";
    /** Routing GAMMA tests too. */
    public static final String MESH_HTTP = "MESH-HTTP";

    private static final List<String> SECURITY_PREFIXES = List.of("mtls-", "l4-", "l7-authz", "authz-");
    private static final List<String> ROUTING_PREFIXES = List.of("route-", "routing-", "http-route-", "header-routing");

    private Profiles() {
    }

    public static String of(String checkId) {
        if (SECURITY_PREFIXES.stream().anyMatch(checkId::startsWith)) {
            return SECURITY;
        }
        if (ROUTING_PREFIXES.stream().anyMatch(checkId::startsWith)) {
            return MESH_HTTP;
        }
        return TELEMETRY;
    }

    /** In report order. */
    public static List<String> all() {
        return List.of(MESH_HTTP, SECURITY, TELEMETRY);
    }
}
