package dev.meshproof.mesh;

import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waypoint proxies (L7) for a namespace or a single service: exactly the Gateway {@code istioctl waypoint apply}
 * creates — class istio-waypoint, one listener mesh/15008/HBONE (istio/istio@1.29.6:istioctl/pkg/waypoint/waypoint.go) —
 * plus the {@code istio.io/use-waypoint} label on the namespace or Service that binds traffic to it.
 * istiod then deploys a Deployment/Service/ServiceAccount of the same name.
 */
public final class Waypoints {
    /** Binds a namespace or Service to a waypoint (istio/api@release-1.29 label/labels.yaml). */
    public static final String USE_WAYPOINT = "istio.io/use-waypoint";
    /** istioctl's default waypoint name (constants.DefaultNamespaceWaypoint). */
    public static final String DEFAULT_NAME = "waypoint";

    private final KubernetesClient client;
    private final ObjectApplier applier;
    private final Waits waits;
    private final ReadinessChecks checks;

    public Waypoints(KubernetesClient client, ObjectApplier applier, Waits waits) {
        this.client = client;
        this.applier = applier;
        this.waits = waits;
        this.checks = new ReadinessChecks(client);
    }

    /** A waypoint for every service of {@code namespace}; returns when it is ready. */
    public void forNamespace(String namespace, String name) {
        applier.apply(gateway(namespace, name));
        client.namespaces().withName(namespace).edit(ns -> withLabel(ns, USE_WAYPOINT, name));
        awaitReady(namespace, name);
    }

    /**
     * A waypoint used only by {@code service} (a Service label beats a namespace label:
     * istio/istio.io:content/en/docs/ambient/usage/waypoint/index.md); returns when it is ready.
     */
    public void forService(String namespace, String service, String name) {
        applier.apply(gateway(namespace, name));
        client.services().inNamespace(namespace).withName(service).edit(s -> withLabel(s, USE_WAYPOINT, name));
        awaitReady(namespace, name);
    }

    public void awaitReady(String namespace, String name) {
        waits.until("waypoint " + namespace + "/" + name + " Programmed=True and its pods Ready", () -> notReady(namespace, name));
    }

    /**
     * Ready = Gateway condition Programmed=True AND the pods labelled gateway.networking.k8s.io/gateway-name=&lt;name&gt;
     * Ready: Programmed alone only means the Service has an address
     * (istio/istio@1.29.6:pilot/pkg/config/kube/gateway/conversion.go setProgrammedCondition; Istio's own framework
     * waits for the pods too, istio/istio@1.29.6:pkg/test/framework/components/ambient/waypoint.go).
     */
    public String notReady(String namespace, String name) {
        GenericKubernetesResource gw = IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inNamespace(namespace).withName(name).get();
        if (gw == null) {
            return "Gateway " + namespace + "/" + name + " does not exist";
        }
        if (!ReadinessChecks.conditionTrue(ReadinessChecks.conditions(gw), "Programmed")) {
            return "Gateway " + namespace + "/" + name + " has no condition Programmed=True";
        }
        return checks.podsReady(namespace, Map.of(GatewayApi.GATEWAY_NAME_LABEL, name), "waypoint " + namespace + "/" + name);
    }

    /** Null when the Gateway {@code name} and its pods are gone; else what is still there. */
    public String stillPresent(String namespace, String name) {
        if (IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inNamespace(namespace).withName(name).get() != null) {
            return "Gateway " + namespace + "/" + name + " still exists";
        }
        int pods = client.pods().inNamespace(namespace).withLabel(GatewayApi.GATEWAY_NAME_LABEL, name).list().getItems().size();
        return pods == 0 ? null : pods + " waypoint pod(s) of " + namespace + "/" + name + " still exist";
    }

    /** Deletes the Gateway (istiod removes its Deployment) and the binding labels that point at it. */
    public void delete(String namespace, String name) {
        IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inNamespace(namespace).withName(name).delete();
        client.namespaces().withName(namespace).edit(ns -> withoutLabel(ns, USE_WAYPOINT, name));
        client.services().inNamespace(namespace).withLabel(USE_WAYPOINT, name).list().getItems()
                .forEach(s -> client.services().inNamespace(namespace).withName(s.getMetadata().getName()).edit(x -> withoutLabel(x, USE_WAYPOINT, name)));
    }

    static GenericKubernetesResource gateway(String namespace, String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion(GatewayApi.API_VERSION).withKind("Gateway")
                .withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of(Manifests.INSTALL_LABEL, "istio", Manifests.COMPONENT_LABEL, "waypoint")).endMetadata()
                .addToAdditionalProperties("spec", Map.of("gatewayClassName", "istio-waypoint",
                        "listeners", List.of(Map.of("name", "mesh", "port", 15008, "protocol", "HBONE"))))
                .build();
    }

    private static <T extends HasMetadata> T withLabel(T object, String key, String value) {
        Map<String, String> labels = object.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(object.getMetadata().getLabels());
        labels.put(key, value);
        object.getMetadata().setLabels(labels);
        return object;
    }

    private static <T extends HasMetadata> T withoutLabel(T object, String key, String value) {
        if (object.getMetadata().getLabels() != null && value.equals(object.getMetadata().getLabels().get(key))) {
            Map<String, String> labels = new HashMap<>(object.getMetadata().getLabels());
            labels.remove(key);
            object.getMetadata().setLabels(labels);
        }
        return object;
    }
}
