package dev.meshproof.cluster.preflight;

import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.client.Config;

/** The kubeconfig parses, has the requested (or a current) context, and names a server. */
public final class KubeconfigCheck implements Check {
    private final KubernetesAccess access;

    public KubeconfigCheck(KubernetesAccess access) {
        this.access = access;
    }

    @Override
    public String description() {
        return "kubeconfig valid";
    }

    @Override
    public CheckResult run() {
        try {
            Config c = access.config();
            String context = c.getCurrentContext() == null ? "(none)" : c.getCurrentContext().getName();
            return CheckResult.ok(access.kubeconfig() + ", context " + context + ", server " + c.getMasterUrl());
        } catch (MeshproofException e) {
            return CheckResult.fail(e.getMessage(), e.hint());
        }
    }
}
