package dev.meshproof.mesh;

/** Gateway API names Meshproof uses (kubernetes-sigs/gateway-api v1.4.1, standard channel; facts §1.6, §2.3). */
final class GatewayApi {
    static final String GROUP = "gateway.networking.k8s.io";
    static final String API_VERSION = GROUP + "/v1";
    /** The CRD whose presence means "Gateway API is installed" in Istio's docs boilerplate (facts §1.6). */
    static final String GATEWAYS_CRD = "gateways." + GROUP;
    /** Annotation on every released CRD naming its bundle version. */
    static final String BUNDLE_VERSION = GROUP + "/bundle-version";
    /** Label on waypoint pods naming their Gateway (istio-discovery/files/waypoint.yaml; facts §2.3). */
    static final String GATEWAY_NAME_LABEL = GROUP + "/gateway-name";

    private GatewayApi() {
    }
}
