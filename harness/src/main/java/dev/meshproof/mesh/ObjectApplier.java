package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** How one rendered object reaches the cluster. */
@FunctionalInterface
public interface ObjectApplier {

    HasMetadata apply(HasMetadata object);

    /** The field manager Meshproof applies as: {@code kubectl get -o yaml --show-managed-fields} shows who owns what. */
    String FIELD_MANAGER = "meshproof";

    /**
     * Server-side apply with field manager {@value #FIELD_MANAGER}, forcing conflicts (Meshproof owns what it installs).
     * Server-side, because the Gateway API HTTPRoute CRD (345 KB,
     * kubernetes-sigs/gateway-api@v1.4.1:config/crd/standard/gateway.networking.k8s.io_httproutes.yaml) is too large
     * for a client-side apply's last-applied annotation; creates and updates alike; this is what istioctl does after
     * rendering.
     */
    static ObjectApplier serverSide(KubernetesClient client) {
        return object -> client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
}
