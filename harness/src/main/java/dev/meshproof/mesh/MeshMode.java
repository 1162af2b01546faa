package dev.meshproof.mesh;

import java.util.Locale;

/** Which data plane(s) the mesh install provides. */
public enum MeshMode {
    /** istiod + istio-cni + ztunnel with profile=ambient: namespaces enroll with istio.io/dataplane-mode=ambient. */
    AMBIENT,
    /** istiod only (default profile): namespaces enroll with istio-injection=enabled; the benchmark baseline. */
    SIDECAR,
    /** The ambient install, also checked for the sidecar injector, so both kinds of namespace run in one cluster. */
    HYBRID;

    public boolean ambient() {
        return this != SIDECAR;
    }

    public boolean sidecars() {
        return this != AMBIENT;
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
