package dev.meshproof.bench;

import dev.meshproof.core.Scope;
import dev.meshproof.mesh.Enrollment;
import dev.meshproof.mesh.Waypoints;

/**
 * Puts a benchmark namespace into its data-plane mode with Istio's labels, before any pod exists:
 * no-mesh nothing; sidecar {@code istio-injection=enabled}; ambient-l4 {@code istio.io/dataplane-mode=ambient};
 * ambient-l7 ambient plus a namespace waypoint (istioctl's Gateway and {@code istio.io/use-waypoint}), waited
 * for until it is Programmed and its pods are Ready (istio/api@release-1.29:label/labels.yaml;
 * istio/istio@1.29.6:istioctl/pkg/waypoint/waypoint.go, pkg/test/framework/components/ambient/waypoint.go).
 */
public final class IstioModeEnrollment implements ClusterModeRunner.ModeEnrollment {
    private final Enrollment enrollment;
    private final Waypoints waypoints;

    public IstioModeEnrollment(Enrollment enrollment, Waypoints waypoints) {
        this.enrollment = enrollment;
        this.waypoints = waypoints;
    }

    @Override
    public void enroll(String namespace, DataPath mode, Scope scope) {
        switch (mode) {
            case NO_MESH -> {
                // the baseline: an unlabelled namespace is neither injected nor captured
            }
            case SIDECAR -> enrollment.sidecar(namespace);
            case AMBIENT_L4 -> enrollment.ambient(namespace);
            case AMBIENT_L7 -> {
                enrollment.ambient(namespace);
                // Deleted with the namespace; no cleanup of its own needed.
                waypoints.forNamespace(namespace, Waypoints.DEFAULT_NAME);
            }
        }
    }
}
