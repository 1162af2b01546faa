package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.KubeconfigClusterProvider;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The kubeconfig's user may do what the installer does: one SelfSubjectAccessReview per {@link Permission}
 * (the same question {@code kubectl auth can-i} asks), so the answer comes from the cluster's own authorizers.
 */
public final class RbacCheck implements Check {
    private final KubernetesAccess access;
    private final List<Permission> permissions;

    public RbacCheck(KubernetesAccess access, List<Permission> permissions) {
        this.access = access;
        this.permissions = permissions;
    }

    @Override
    public String description() {
        return "RBAC sufficient to install the mesh";
    }

    @Override
    public CheckResult run() {
        List<Permission> denied = new ArrayList<>();
        try {
            for (Permission p : permissions) {
                if (!allowed(p)) {
                    denied.add(p);
                }
            }
        } catch (RuntimeException e) {
            return CheckResult.fail("cannot ask the API server (SelfSubjectAccessReview): " + KubeconfigClusterProvider.rootMessage(e),
                    "the authorization.k8s.io/v1 API must be served; check the cluster and the kubeconfig user");
        }
        if (denied.isEmpty()) {
            return CheckResult.ok("all " + permissions.size() + " permissions granted");
        }
        return CheckResult.fail("denied: " + denied.stream().map(Permission::describe).collect(Collectors.joining(", ")),
                "use a kubeconfig user bound to cluster-admin (installing Istio creates CRDs, cluster roles and webhooks)");
    }

    private boolean allowed(Permission p) {
        String[] parts = p.resource().split("/", 2);
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withResourceAttributes(new ResourceAttributesBuilder()
                        .withVerb(p.verb()).withGroup(p.group()).withResource(parts[0])
                        .withSubresource(parts.length > 1 ? parts[1] : null)
                        .withNamespace(p.namespace())
                        .build())
                .endSpec()
                .build();
        SelfSubjectAccessReview answer = access.client().authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
}
