package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Map;
import java.util.Optional;

/**
 * The custom resources the checks apply, described without API discovery (so the same code works against
 * a cluster and against fabric8's mock API server, which serves no discovery): group, version, kind and plural
 * as the CRDs declare them — Istio's in istio/istio@1.29.6:manifests/charts/base/files/crd-all.gen.yaml, Gateway
 * API's in kubernetes-sigs/gateway-api@v1.4.1:config/crd/standard/gateway.networking.k8s.io_{gateways,httproutes}.yaml.
 */
public final class IstioKinds {
    private static final Map<String, ResourceDefinitionContext> KINDS = Map.of(
            "security.istio.io/v1/AuthorizationPolicy", context("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies"),
            "security.istio.io/v1/PeerAuthentication", context("security.istio.io", "v1", "PeerAuthentication", "peerauthentications"),
            "security.istio.io/v1/RequestAuthentication", context("security.istio.io", "v1", "RequestAuthentication", "requestauthentications"),
            "networking.istio.io/v1/DestinationRule", context("networking.istio.io", "v1", "DestinationRule", "destinationrules"),
            "networking.istio.io/v1/VirtualService", context("networking.istio.io", "v1", "VirtualService", "virtualservices"),
            "telemetry.istio.io/v1/Telemetry", context("telemetry.istio.io", "v1", "Telemetry", "telemetries"),
            "gateway.networking.k8s.io/v1/Gateway", context("gateway.networking.k8s.io", "v1", "Gateway", "gateways"),
            "gateway.networking.k8s.io/v1/HTTPRoute", context("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"));

    private IstioKinds() {
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
                .withNamespaced(true).build();
    }

    /** The definition of {@code apiVersion}/{@code kind}, if it is one of Istio's kinds listed here. */
    public static Optional<ResourceDefinitionContext> of(String apiVersion, String kind) {
        return Optional.ofNullable(KINDS.get(apiVersion + "/" + kind));
    }

    /** The objects of a listed kind in {@code namespace}. */
    public static java.util.List<GenericKubernetesResource> list(KubernetesClient client, String apiVersion, String kind, String namespace) {
        return operations(client, apiVersion, kind).inNamespace(namespace).list().getItems();
    }

    /** The operations on a listed kind. */
    public static io.fabric8.kubernetes.client.dsl.MixedOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> operations(KubernetesClient client, String apiVersion, String kind) {
        ResourceDefinitionContext c = of(apiVersion, kind).orElseThrow(() -> new IllegalArgumentException("not a listed kind: " + apiVersion + " " + kind));
        return client.genericKubernetesResources(c);
    }

    /** The operations on {@code item}: through its Istio definition when it is an Istio kind, else the client's own. */
    public static io.fabric8.kubernetes.client.dsl.Resource<? extends HasMetadata> resource(KubernetesClient client, HasMetadata item, String namespace) {
        Optional<ResourceDefinitionContext> c = of(item.getApiVersion(), item.getKind());
        if (c.isPresent() && item instanceof GenericKubernetesResource generic) {
            return client.genericKubernetesResources(c.get()).inNamespace(namespace).resource(generic);
        }
        return client.resource(item).inNamespace(namespace);
    }
}
