package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What "ready" means for each kind of object the install waits for: the objects the istio/istio@1.29.6 charts
 * (manifests/charts/) and istiod (pilot/pkg/config/kube/gateway/deploymentcontroller.go) create; Gateway API CRDs
 * Established, as pkg/test/framework/components/crd/gateway.go waits; a waypoint Programmed (conversion.go
 * setProgrammedCondition only checks the Service address) and its pods Ready
 * (pkg/test/framework/components/ambient/waypoint.go).
 * Each check returns null when ready, else what is missing, phrased for a time-out message.
 */
public final class ReadinessChecks {
    private final KubernetesClient client;

    public ReadinessChecks(KubernetesClient client) {
        this.client = client;
    }

    /** @param crdNames for {@link Readiness.Kind#CRDS_ESTABLISHED}: the CRDs the step applied */
    public String missing(Readiness r, Collection<String> crdNames) {
        return switch (r.kind()) {
            case CRDS_ESTABLISHED -> crdsEstablished(crdNames);
            case DEPLOYMENT_AVAILABLE -> deploymentAvailable(r.namespace(), r.name());
            case DAEMONSET_READY -> daemonSetReady(r.namespace(), r.name());
            case WEBHOOK_PRESENT -> client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(r.name()).get() == null
                    ? "MutatingWebhookConfiguration " + r.name() + " does not exist" : null;
            case GATEWAYCLASS_PRESENT -> gatewayClass(r.name()) == null
                    ? "GatewayClass " + r.name() + " does not exist (istiod creates it when ambient is enabled)" : null;
        };
    }

    public String crdsEstablished(Collection<String> names) {
        for (String name : names) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            if (crd == null) {
                return "CustomResourceDefinition " + name + " does not exist";
            }
            if (!conditionTrue(crd.getStatus() == null ? null : crd.getStatus().getConditions().stream()
                    .map(c -> Map.entry(c.getType(), c.getStatus())).toList(), "Established")) {
                return "CustomResourceDefinition " + name + " has no condition Established=True";
            }
        }
        return null;
    }

    public String deploymentAvailable(String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            return "Deployment " + namespace + "/" + name + " does not exist";
        }
        var status = d.getStatus();
        int available = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        boolean condition = status != null && conditionTrue(status.getConditions().stream()
                .map(c -> Map.entry(c.getType(), c.getStatus())).toList(), "Available");
        if (!condition || available < 1) {
            int wanted = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            return "Deployment " + namespace + "/" + name + " has no condition Available=True (" + available + " of " + wanted + " replicas available)";
        }
        return null;
    }

    public String daemonSetReady(String namespace, String name) {
        DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
        if (ds == null) {
            return "DaemonSet " + namespace + "/" + name + " does not exist";
        }
        int desired = ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null ? 0 : ds.getStatus().getDesiredNumberScheduled();
        int ready = ds.getStatus() == null || ds.getStatus().getNumberReady() == null ? 0 : ds.getStatus().getNumberReady();
        if (desired == 0) {
            return "DaemonSet " + namespace + "/" + name + " has no pods scheduled (desiredNumberScheduled=0)";
        }
        if (ready < desired) {
            return "DaemonSet " + namespace + "/" + name + " has " + ready + " of " + desired + " pods ready";
        }
        return null;
    }

    /** Pods matching the label selector exist and every one has condition Ready=True. */
    public String podsReady(String namespace, Map<String, String> selector, String whose) {
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(selector).list().getItems();
        if (pods.isEmpty()) {
            return "no pods of " + whose + " (selector " + selector + ") exist yet";
        }
        long ready = pods.stream().filter(ReadinessChecks::podReady).count();
        return ready == pods.size() ? null : ready + " of " + pods.size() + " pods of " + whose + " are Ready";
    }

    public static boolean podReady(Pod p) {
        return p.getStatus() != null && conditionTrue(p.getStatus().getConditions().stream()
                .map(c -> Map.entry(c.getType(), c.getStatus())).toList(), "Ready");
    }

    /** The Gateway API GatewayClass, or null. */
    public GenericKubernetesResource gatewayClass(String name) {
        return client.genericKubernetesResources(GatewayApi.API_VERSION, "GatewayClass").withName(name).get();
    }

    /** True when {@code conditions} (type → status) holds {@code type}=True. */
    static boolean conditionTrue(List<Map.Entry<String, String>> conditions, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getKey()) && "True".equals(c.getValue()));
    }

    /** Conditions of a generic object's status, as type → status pairs. */
    @SuppressWarnings("unchecked")
    static List<Map.Entry<String, String>> conditions(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(c -> (Map<String, Object>) c)
                .map(c -> Map.entry(String.valueOf(c.get("type")), String.valueOf(c.get("status"))))
                .filter(e -> Objects.nonNull(e.getKey())).toList();
    }
}
