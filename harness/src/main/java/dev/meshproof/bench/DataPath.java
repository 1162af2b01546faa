package dev.meshproof.bench;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The data-plane path a benchmark compares (its "modes"): how a request gets from client to server. Client and
 * server always run on the same path: a sidecar client bypasses waypoints (istio/istio#51445), so mixing
 * them would measure neither. Not {@link dev.meshproof.mesh.MeshMode}, which is what the install provides (one
 * hybrid install serves every path). The ids are wire names: profiles' {@code modes}, benchmark.json's {@code mode}.
 */
public enum DataPath {
    /** No mesh at all: the baseline (and what a local {@code --target} run measures). */
    NO_MESH("no-mesh"),
    /** Istio sidecars on client and server. */
    SIDECAR("sidecar"),
    /** Ambient, ztunnel only (L4 mTLS via HBONE). */
    AMBIENT_L4("ambient-l4"),
    /** Ambient with a waypoint for the server (L7 processing). */
    AMBIENT_L7("ambient-l7");

    private final String id;

    DataPath(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<DataPath> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(DataPath::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
