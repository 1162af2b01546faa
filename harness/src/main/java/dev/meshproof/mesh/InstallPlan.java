package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;

import java.util.List;
import java.util.Map;

/**
 * The ordered install of one mesh: what is applied, with which values, and what each step waits for.
 * Pure data: {@code install --dry-run} prints it without touching a cluster or the network.
 */
public record InstallPlan(MeshMode mode, Cluster.Platform platform, String istioVersion,
                          String namespace, List<Step> steps) {

    /** One step of the install, applied in list order. */
    public sealed interface Step permits NamespaceStep, GatewayApiStep, ChartStep {
        /** A short title for progress lines and the plan. */
        String title();

        List<Readiness> waitsFor();
    }

    /** The mesh namespace, created first (helm template does not create it; Istio's helm docs use --create-namespace). */
    public record NamespaceStep(String namespace) implements Step {
        @Override
        public String title() {
            return "namespace " + namespace;
        }

        @Override
        public List<Readiness> waitsFor() {
            return List.of();
        }
    }

    /** The Gateway API CRDs (a release manifest), applied server-side because the HTTPRoute CRD is too large for client-side apply. */
    public record GatewayApiStep(String version, String channel, String url) implements Step {
        @Override
        public String title() {
            return "Gateway API CRDs " + version + " (" + channel + " channel)";
        }

        @Override
        public List<Readiness> waitsFor() {
            return List.of(Readiness.crdsEstablished("Gateway API " + version));
        }
    }

    /**
     * One Istio chart: its release name, version, namespace and the values Meshproof sets (already merged
     * with the user's --values section for this chart, the user's values winning).
     */
    public record ChartStep(String chart, String release, String version, String namespace,
                            Map<String, Object> values, List<Readiness> waitsFor) implements Step {
        @Override
        public String title() {
            return "chart " + chart + " " + version + " (release " + release + ", namespace " + namespace + ")";
        }
    }

    public List<ChartStep> charts() {
        return steps.stream().filter(ChartStep.class::isInstance).map(ChartStep.class::cast).toList();
    }
}
