package dev.meshproof.mesh;

/**
 * Gateway API names Meshproof uses (kubernetes-sigs/gateway-api@v1.4.1:config/crd/standard/, the version
 * istio/istio@1.29.6:go.mod pins; waypoint Gateways as istio/istio@1.29.6:istioctl/pkg/waypoint/waypoint.go writes them).
 */
public final class GatewayApi {
    static final String GROUP = "gateway.networking.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";
    /**
     * The CRD whose presence means "Gateway API is installed" in Istio's docs boilerplate
     * (istio/istio.io:content/en/boilerplates/gateway-api-install-crds.md).
     */
    static final String GATEWAYS_CRD = "gateways." + GROUP;
    /** Annotation on every released CRD naming its bundle version. */
    static final String BUNDLE_VERSION = GROUP + "/bundle-version";
    /**
     * Label on waypoint pods naming their Gateway
     * (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/files/waypoint.yaml).
     */
    public static final String GATEWAY_NAME_LABEL = GROUP + "/gateway-name";

    private GatewayApi() {
    }
}
