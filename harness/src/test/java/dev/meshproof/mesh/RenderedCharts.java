package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Versions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The charts of one install plan, fetched through a {@link ChartSource} and rendered as the installer renders them. */
record RenderedCharts(InstallPlan plan, Map<String, List<HasMetadata>> byChart) {

    /** The Kubernetes version the cluster would report (Helm's KubeVersion): k3s's has the +k3s suffix. */
    static String kubeVersion(Cluster.Platform platform) {
        return platform == Cluster.Platform.K3S ? "v1.34.6+k3s1" : "v1.34.6";
    }

    static RenderedCharts render(ChartSource charts, Versions versions, MeshMode mode, Cluster.Platform platform,
                                 Optional<String> cniBinDir, MeshValues values, Path work) {
        InstallPlan plan = IstioPlanner.plan(mode, platform, cniBinDir, versions, values);
        ChartRenderer renderer = new ChartRenderer(work);
        Map<String, List<HasMetadata>> out = new LinkedHashMap<>();
        for (InstallPlan.ChartStep c : plan.charts()) {
            out.put(c.chart(), Manifests.parse(renderer.render(charts, c, kubeVersion(platform))));
        }
        return new RenderedCharts(plan, out);
    }

    List<HasMetadata> chart(String name) {
        return byChart.getOrDefault(name, List.of());
    }

    Stream<HasMetadata> all() {
        return byChart.values().stream().flatMap(List::stream);
    }

    /** Objects per kind, e.g. {CustomResourceDefinition=14, ServiceAccount=1, ...}. */
    Map<String, Long> kinds(String chart) {
        Map<String, Long> out = new TreeMap<>();
        chart(chart).forEach(o -> out.merge(o.getKind(), 1L, Long::sum));
        return out;
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " rendered"));
    }

    Deployment deployment(String name) {
        return one(Deployment.class, name);
    }

    DaemonSet daemonSet(String name) {
        return one(DaemonSet.class, name);
    }

    ConfigMap configMap(String name) {
        return one(ConfigMap.class, name);
    }

    /** The image of every container and init container of every pod template the charts render. */
    List<String> podImages() {
        List<String> out = new ArrayList<>();
        all().forEach(o -> {
            PodSpec spec = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : o instanceof DaemonSet ds ? ds.getSpec().getTemplate().getSpec() : null;
            if (spec != null) {
                Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).map(Container::getImage).forEach(out::add);
            }
        });
        return out;
    }
}
