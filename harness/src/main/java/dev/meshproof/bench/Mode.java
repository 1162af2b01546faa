package dev.meshproof.bench;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The data-plane modes a benchmark compares. Client and server always run in the same mode: a sidecar
 * client bypasses waypoints (istio-ambient-facts.md §2.2), so mixing modes would measure neither.
 */
public enum Mode {
    /** No mesh at all: the baseline (and what a local {@code --target} run measures). */
    NO_MESH("no-mesh"),
    /** Istio sidecars on client and server. */
    SIDECAR("sidecar"),
    /** Ambient, ztunnel only (L4 mTLS via HBONE). */
    AMBIENT_L4("ambient-l4"),
    /** Ambient with a waypoint for the server (L7 processing). */
    AMBIENT_L7("ambient-l7");

    private final String id;

    Mode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Mode> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
