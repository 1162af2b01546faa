package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.mesh.ChartRenderer;
import dev.meshproof.mesh.ChartSource;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshImages;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.workload.AgentImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code meshproof images}: the image references a run needs, one per line on stdout — k3s's, Istio's for the mode
 * (read off the rendered charts, with the proxy of sidecars and waypoints as istiod resolves it), and the agent's base —
 * so that they can be pulled and saved once where a registry is reachable. Progress goes to stderr.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Print the image references a run needs, one per line: k3s, Istio's for the mode (from the rendered",
                "charts, including the sidecar and waypoint proxy) and the agent's base. With --charts-dir nothing is fetched."})
public final class ImagesCommand implements Callable<Integer> {

    @Mixin
    MeshOptionsMixin mesh;

    @Option(names = "--mode", defaultValue = "ambient", description = "ambient, sidecar or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--platform", paramLabel = "k3s|generic", defaultValue = "k3s",
            description = "k3s (the cluster Meshproof starts; its image is listed) or generic (your cluster) (default: ${DEFAULT-VALUE}).")
    String platform;

    @Option(names = "--k3s-image", paramLabel = "IMAGE", description = "k3s image (default: the pinned rancher/k3s tag).")
    String k3sImage;

    @Option(names = "--agent-base", paramLabel = "REF", defaultValue = AgentImage.DEFAULT_BASE,
            description = "Base image the agent is built on (default: ${DEFAULT-VALUE}; a tar:// base is no image to fetch).")
    String agentBase;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MeshMode meshMode = MeshOptionsMixin.parseMode(mode);
        Cluster.Platform target = InstallCommand.parsePlatform(platform);
        if (k3sImage != null && target != Cluster.Platform.K3S) {
            throw MeshproofException.usage("--k3s-image needs --platform k3s", "drop --k3s-image for your own cluster");
        }
        MeshInstallers.Options options = mesh.toOptions(meshMode);
        Set<String> images = new LinkedHashSet<>();
        if (target == Cluster.Platform.K3S) {
            images.add(k3sImage != null ? k3sImage : options.versions().k3s().image());
        }
        InstallPlan plan = IstioPlanner.plan(meshMode, target, Optional.empty(), options.versions(), options.values());
        ChartSource charts = options.chartSource();
        Progress.info("rendering the Istio " + plan.istioVersion() + " charts (" + meshMode.flag() + ") from " + charts.describe());
        Path work = ClusterCommand.tempDir("meshproof-images");
        try {
            // Helm's default KubeVersion: no Istio 1.29.6 template that names an image depends on it
            images.addAll(MeshImages.of(plan, charts, new ChartRenderer(work), null));
        } finally {
            ClusterCommand.deleteTree(work); // a leftover values file in the temp folder would be harmless
        }
        AgentImage.baseImageReference(agentBase).ifPresent(images::add);
        PrintWriter out = spec.commandLine().getOut();
        images.forEach(out::println);
        out.flush();
        return 0;
    }
}
