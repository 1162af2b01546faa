package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.FakeDockerEngine;
import dev.meshproof.cluster.ImageImporter;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.cluster.ImageTar;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.IstioPlanner;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshValues;
import dev.meshproof.mesh.UpstreamRelease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code run --preload docker}: one import per image of the plan, all before the install, against a fake engine. */
@ExtendWith(UpstreamRelease.class)
class PreloadOptionTest {
    @TempDir
    Path tmp;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private Cluster k3s(ImageImporter importer) {
        return new Cluster() {
            @Override
            public String description() {
                return "fake k3s";
            }

            @Override
            public KubernetesClient client() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Path kubeconfig() {
                return tmp.resolve("kubeconfig");
            }

            @Override
            public Platform platform() {
                return Platform.K3S;
            }

            @Override
            public Optional<ImageImporter> imageImporter() {
                return Optional.ofNullable(importer);
            }

            @Override
            public void close() {
            }
        };
    }

    private MeshInstaller recordingInstaller(InstallPlan plan) {
        return new MeshInstaller() {
            @Override
            public InstallPlan plan() {
                return plan;
            }

            @Override
            public void install() {
                events.add("install");
            }

            @Override
            public void uninstall() {
            }

            @Override
            public List<Path> appliedManifests() {
                return List.of();
            }
        };
    }

    @Test
    void everyImageOfTheAmbientPlanIsImportedOnceBeforeTheInstall(UpstreamRelease upstream) {
        FakeDockerEngine docker = FakeDockerEngine.reachable(false);
        List<String> needed = List.of("docker.io/istio/pilot:1.29.6-distroless", "docker.io/istio/install-cni:1.29.6-distroless",
                "docker.io/istio/ztunnel:1.29.6-distroless", "docker.io/istio/proxyv2:1.29.6-distroless");
        needed.forEach(docker::withImage);
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        MeshInstallers.Options options = new MeshInstallers.Options(MeshMode.AMBIENT, upstream.versions(), MeshValues.none(),
                upstream.chartsDir(), Duration.ofSeconds(5));
        ImageSource source = PreloadOption.parse("docker", new ClusterOptions(ClusterOptions.K3S, null, null, null), docker, run);
        ImageImporter importer = tar -> {
            List<String> refs = ImageTar.references(tar).stream().map(ImageTar::normalize).toList();
            events.add("import " + String.join(",", refs));
            return refs;
        };

        MeshInstaller installer = PreloadOption.first(source, c -> recordingInstaller(IstioPlanner.plan(MeshMode.AMBIENT, c.platform(),
                Optional.empty(), upstream.versions(), MeshValues.none())), options, run).apply(k3s(importer));
        installer.install();

        List<String> expected = new ArrayList<>(needed.stream().map(i -> "import " + i).toList());
        expected.add("install");
        assertThat(events).containsExactlyElementsOf(expected);
        assertThat(docker.calls).noneMatch(c -> c.startsWith("pull"));
    }

    @Test
    void preloadNeedsAK3sMeshproofStarts(UpstreamRelease upstream) {
        assertThatThrownBy(() -> PreloadOption.parse("docker", new ClusterOptions(ClusterOptions.KUBECONFIG, tmp, null, null),
                FakeDockerEngine.reachable(false), RunDirectory.at(tmp.resolve("run"))))
                .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
        MeshInstallers.Options options = new MeshInstallers.Options(MeshMode.SIDECAR, upstream.versions(), MeshValues.none(),
                upstream.chartsDir(), Duration.ofSeconds(5));
        ImageSource source = PreloadOption.parse(tmp.toString(), new ClusterOptions(ClusterOptions.K3S, null, null, null),
                FakeDockerEngine.reachable(false), RunDirectory.at(tmp.resolve("run")));
        assertThatThrownBy(() -> PreloadOption.first(source, c -> recordingInstaller(IstioPlanner.plan(MeshMode.SIDECAR, c.platform(),
                Optional.empty(), upstream.versions(), MeshValues.none())), options, RunDirectory.at(tmp.resolve("run"))).apply(k3s(null)))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).startsWith("--preload needs a cluster Meshproof can import images into");
                });
        assertThat(events).isEmpty();
    }
}
