package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rendered manifests as objects: parsing, Helm's install order, and the labels that mark what Meshproof applied. */
public final class Manifests {
    /** On every object Meshproof applies; uninstall and the diagnostics dump select by it. */
    public static final String INSTALL_LABEL = "meshproof.dev/install";
    /** Which step (release name) applied the object. */
    public static final String COMPONENT_LABEL = "meshproof.dev/component";

    /**
     * Helm's install order by kind (helm.sh/helm/v3 pkg/releaseutil/kind_sorter.go InstallOrder): namespaces and
     * service accounts before the workloads that use them, CRDs before anything else of theirs, webhooks last so they
     * cannot block the install of their own backends. Unknown kinds go after these, by name, as in Helm.
     */
    static final List<String> INSTALL_ORDER = List.of("PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota",
            "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
            "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
            "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
            "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");

    private static final Map<String, Integer> RANK = new HashMap<>();
    /** fabric8's (de)serializer: known kinds become typed objects, others GenericKubernetesResource. */
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        for (int i = 0; i < INSTALL_ORDER.size(); i++) {
            RANK.put(INSTALL_ORDER.get(i), i);
        }
    }

    private Manifests() {
    }

    /** Parses multi-document YAML (empty documents skipped) into objects, typed where fabric8 knows the kind. */
    public static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(doc);
            if (parsed instanceof HasMetadata h) {
                out.add(h);
            } else if (parsed instanceof List<?> list) {
                list.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).forEach(out::add);
            }
        }
        return out;
    }

    /** Stable sort into Helm's install order. */
    public static List<HasMetadata> inInstallOrder(List<HasMetadata> objects) {
        List<HasMetadata> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparingInt((HasMetadata h) -> RANK.getOrDefault(h.getKind(), INSTALL_ORDER.size()))
                .thenComparing(h -> RANK.containsKey(h.getKind()) ? "" : h.getKind()));
        return sorted;
    }

    /** Adds Meshproof's labels, and the release namespace to namespaced objects the chart left without one. */
    public static HasMetadata prepare(HasMetadata object, String component, String namespace) {
        Map<String, String> labels = object.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(object.getMetadata().getLabels());
        labels.put(INSTALL_LABEL, "istio");
        labels.put(COMPONENT_LABEL, component);
        object.getMetadata().setLabels(labels);
        if (object instanceof Namespaced && object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(namespace);
        }
        return object;
    }

    /** "Deployment istio-system/istiod" or "ClusterRole istiod-clusterrole-istio-system". */
    public static String describe(HasMetadata h) {
        String ns = h.getMetadata().getNamespace();
        return h.getKind() + " " + (ns == null ? "" : ns + "/") + h.getMetadata().getName();
    }
}
