package dev.meshproof.cluster.preflight;

import java.util.List;

/**
 * One API permission: a verb on a resource of an API group, cluster-wide ({@code namespace == null}) or in a namespace.
 */
public record Permission(String verb, String group, String resource, String namespace) {

    /** "create customresourcedefinitions.apiextensions.k8s.io" or "create daemonsets.apps in istio-system". */
    public String describe() {
        return verb + " " + resource + (group.isEmpty() ? "" : "." + group) + (namespace == null ? "" : " in " + namespace);
    }

    /**
     * What installing Istio ambient + sidecar and running the suites needs: Gateway API and Istio CRDs, the
     * control-plane namespace, cluster-scoped RBAC and webhooks from the base/istiod charts, the istio-cni and
     * ztunnel DaemonSets, istiod's Deployment/Service/PDB/HPA, test namespaces with their workloads and waypoint
     * Gateways, and reading pods, logs and events for the diagnostics dump.
     */
    public static List<Permission> installer() {
        String ns = "istio-system";
        return List.of(
                new Permission("create", "apiextensions.k8s.io", "customresourcedefinitions", null),
                new Permission("patch", "apiextensions.k8s.io", "customresourcedefinitions", null),
                new Permission("delete", "apiextensions.k8s.io", "customresourcedefinitions", null),
                new Permission("create", "", "namespaces", null),
                new Permission("patch", "", "namespaces", null),
                new Permission("delete", "", "namespaces", null),
                new Permission("create", "rbac.authorization.k8s.io", "clusterroles", null),
                new Permission("create", "rbac.authorization.k8s.io", "clusterrolebindings", null),
                new Permission("create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null),
                new Permission("create", "admissionregistration.k8s.io", "validatingwebhookconfigurations", null),
                new Permission("create", "apps", "daemonsets", ns),
                new Permission("create", "apps", "deployments", ns),
                new Permission("create", "", "services", ns),
                new Permission("create", "", "serviceaccounts", ns),
                new Permission("create", "", "configmaps", ns),
                new Permission("create", "", "secrets", ns),
                new Permission("create", "policy", "poddisruptionbudgets", ns),
                new Permission("create", "autoscaling", "horizontalpodautoscalers", ns),
                new Permission("create", "gateway.networking.k8s.io", "gateways", null),
                new Permission("list", "", "pods", null),
                new Permission("get", "", "pods/log", null),
                new Permission("list", "", "events", null));
    }
}
