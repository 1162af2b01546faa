package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images an install of a plan makes the cluster pull, read off the rendered charts rather than kept as a list
 * that could drift from them: every init container and container of the workloads the charts render, in install
 * order, then the proxy of what istiod creates itself — waypoints when the mode is ambient, sidecars when it has
 * sidecars ({@link InjectedProxyImages}). Rendering needs no cluster and, with a charts directory, no network.
 */
public final class MeshImages {

    private MeshImages() {
    }

    /** Renders each chart of {@code plan} from {@code charts} and reads the images off the result. */
    public static List<String> of(InstallPlan plan, ChartSource charts, ChartRenderer renderer, String kubeVersion) {
        Map<String, List<HasMetadata>> rendered = new LinkedHashMap<>();
        for (InstallPlan.ChartStep step : plan.charts()) {
            rendered.put(step.chart(), Manifests.parse(renderer.render(charts, step, kubeVersion)));
        }
        return of(plan.mode(), rendered);
    }

    /** @param renderedByChart each chart's rendered objects, in install order */
    static List<String> of(MeshMode mode, Map<String, List<HasMetadata>> renderedByChart) {
        Set<String> images = new LinkedHashSet<>();
        renderedByChart.values().forEach(objects -> objects.forEach(o -> podSpec(o).ifPresent(spec ->
                Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).map(Container::getImage).forEach(images::add))));
        InjectedProxyImages injected = InjectedProxyImages.from(renderedByChart.getOrDefault("istiod", List.of()));
        if (mode.ambient()) {
            images.add(injected.waypoint());
        }
        if (mode.sidecars()) {
            images.addAll(injected.sidecar());
        }
        return new ArrayList<>(images);
    }

    /** The pod template of a workload kind, or the pod itself. */
    static Optional<PodSpec> podSpec(HasMetadata o) {
        PodSpec spec = null;
        if (o instanceof Deployment d && d.getSpec() != null) {
            spec = d.getSpec().getTemplate().getSpec();
        } else if (o instanceof DaemonSet ds && ds.getSpec() != null) {
            spec = ds.getSpec().getTemplate().getSpec();
        } else if (o instanceof StatefulSet ss && ss.getSpec() != null) {
            spec = ss.getSpec().getTemplate().getSpec();
        } else if (o instanceof ReplicaSet rs && rs.getSpec() != null) {
            spec = rs.getSpec().getTemplate().getSpec();
        } else if (o instanceof Job j && j.getSpec() != null) {
            spec = j.getSpec().getTemplate().getSpec();
        } else if (o instanceof CronJob cj && cj.getSpec() != null) {
            spec = cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        } else if (o instanceof Pod p) {
            spec = p.getSpec();
        }
        return Optional.ofNullable(spec);
    }
}
