package dev.meshproof.mesh;

import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts namespaces into the mesh: ambient ({@code istio.io/dataplane-mode=ambient}) or sidecar
 * ({@code istio-injection=enabled}), never both on one namespace (sidecar would win, Istio's docs say avoid it:
 * istio/istio.io:content/en/docs/ambient/usage/add-workloads/index.md). Ambient enrollment needs no pod restart (same
 * page); a pod is captured once the CNI agent annotates it {@code ambient.istio.io/redirection: enabled}
 * (istio/api@release-1.29:annotation/annotations.yaml).
 */
public final class Enrollment {
    /** istio/api@release-1.29 label/labels.yaml. */
    public static final String DATAPLANE_MODE = "istio.io/dataplane-mode";
    /**
     * Sidecar injector webhook namespace selector
     * (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml).
     */
    public static final String INJECTION = "istio-injection";
    /** Set by istio-cni on captured pods; "pending" means partially captured (istio/api annotation/annotations.yaml). */
    public static final String REDIRECTION = "ambient.istio.io/redirection";

    private final KubernetesClient client;

    public Enrollment(KubernetesClient client) {
        this.client = client;
    }

    /** Labels {@code namespace} for ambient and removes the sidecar injection label. */
    public void ambient(String namespace) {
        label(namespace, DATAPLANE_MODE, "ambient", INJECTION);
    }

    /** Labels {@code namespace} for sidecar injection and removes the ambient label. Pods created afterwards get sidecars. */
    public void sidecar(String namespace) {
        label(namespace, INJECTION, "enabled", DATAPLANE_MODE);
    }

    private void label(String namespace, String key, String value, String conflicting) {
        client.namespaces().withName(namespace).edit(ns -> {
            Map<String, String> labels = ns.getMetadata().getLabels() == null ? new HashMap<>() : new HashMap<>(ns.getMetadata().getLabels());
            labels.remove(conflicting);
            labels.put(key, value);
            ns.getMetadata().setLabels(labels);
            return ns;
        });
    }

    /** Namespaces labelled for ambient or sidecar injection (the diagnostics dump includes their pods). */
    public Set<String> enrolledNamespaces() {
        Set<String> out = new LinkedHashSet<>();
        for (Namespace ns : client.namespaces().list().getItems()) {
            Map<String, String> labels = ns.getMetadata().getLabels();
            if (labels != null && ("ambient".equals(labels.get(DATAPLANE_MODE)) || "enabled".equals(labels.get(INJECTION)))) {
                out.add(ns.getMetadata().getName());
            }
        }
        return out;
    }

    /**
     * Readiness check for ambient capture: null when every pod of {@code namespace} that ambient should capture
     * (not opted out with istio.io/dataplane-mode=none, as waypoints are, and not finished) is annotated
     * {@value #REDIRECTION}=enabled; else which pods are not.
     */
    public String podsNotCaptured(String namespace) {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels() == null || !"none".equals(p.getMetadata().getLabels().get(DATAPLANE_MODE)))
                .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                .toList();
        if (pods.isEmpty()) {
            return "no pods to capture in namespace " + namespace;
        }
        List<String> missing = pods.stream()
                .filter(p -> p.getMetadata().getAnnotations() == null || !"enabled".equals(p.getMetadata().getAnnotations().get(REDIRECTION)))
                .map(p -> p.getMetadata().getName() + "=" + (p.getMetadata().getAnnotations() == null ? null : p.getMetadata().getAnnotations().get(REDIRECTION)))
                .toList();
        return missing.isEmpty() ? null
                : missing.size() + " of " + pods.size() + " pods in " + namespace + " lack annotation " + REDIRECTION + "=enabled: " + String.join(", ", missing);
    }

    /** Waits until every capturable pod of {@code namespace} is captured by ambient. */
    public void awaitCaptured(String namespace, Waits waits) {
        waits.until("pods in " + namespace + " annotated " + REDIRECTION + "=enabled", () -> podsNotCaptured(namespace));
    }
}
