package dev.meshproof.workload;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

import java.util.Objects;
import java.util.Optional;

/**
 * When a Deployment counts as ready, the way {@code kubectl rollout status} decides it: the controller has seen
 * the newest spec, every replica runs the newest template and is available, and the Available condition is True.
 */
final class DeploymentReadiness {
    private DeploymentReadiness() {
    }

    /** What is still missing, in words, or empty when the Deployment is ready. */
    static Optional<String> missing(Deployment d) {
        if (d == null) {
            return Optional.of("the Deployment does not exist");
        }
        int wanted = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStatus s = d.getStatus();
        if (s == null) {
            return Optional.of("condition Available=True (no status yet: the controller has not seen it)");
        }
        Long generation = d.getMetadata().getGeneration();
        if (generation != null && (s.getObservedGeneration() == null || s.getObservedGeneration() < generation)) {
            return Optional.of("observedGeneration " + generation + " (status is for " + s.getObservedGeneration() + ")");
        }
        if (value(s.getUpdatedReplicas()) < wanted) {
            return Optional.of("updatedReplicas=" + wanted + " (have " + value(s.getUpdatedReplicas()) + ")");
        }
        if (value(s.getAvailableReplicas()) < wanted) {
            return Optional.of("availableReplicas=" + wanted + " (have " + value(s.getAvailableReplicas())
                    + ", ready " + value(s.getReadyReplicas()) + ")");
        }
        boolean available = s.getConditions() != null && s.getConditions().stream()
                .anyMatch(c -> Objects.equals(c.getType(), "Available") && Objects.equals(c.getStatus(), "True"));
        if (!available) {
            return Optional.of("condition Available=True (conditions: " + describe(s) + ")");
        }
        return Optional.empty();
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }

    private static String describe(DeploymentStatus s) {
        if (s.getConditions() == null || s.getConditions().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (DeploymentCondition c : s.getConditions()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.getType()).append('=').append(c.getStatus());
            if (c.getReason() != null) {
                sb.append(" (").append(c.getReason()).append(')');
            }
        }
        return sb.toString();
    }
}
