package dev.meshproof.conformance;

import dev.meshproof.mesh.MeshMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The data plane a check's namespaces are enrolled in. Each has its own deny forms and evidence. */
public enum DataPlane {
    /** ztunnel per node (L4, HBONE mTLS), namespaces labelled {@code istio.io/dataplane-mode=ambient}. */
    AMBIENT,
    /** An Envoy sidecar per pod, namespaces labelled {@code istio-injection=enabled}. */
    SIDECAR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DataPlane byId(String id) {
        for (DataPlane d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown data plane '" + id + "' (ambient, sidecar)");
    }

    /** What an install provides: ambient's ztunnel, sidecar injection, or both (hybrid). */
    public static List<DataPlane> providedBy(MeshMode mode) {
        List<DataPlane> out = new ArrayList<>();
        if (mode.ambient()) {
            out.add(AMBIENT);
        }
        if (mode.sidecars()) {
            out.add(SIDECAR);
        }
        return out;
    }
}
