package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Versions;
import dev.meshproof.core.Waits;

import java.nio.file.Path;
import java.time.Duration;

/** Builds the installer for a cluster: one call for {@code meshproof install} and {@code meshproof run}. */
public final class MeshInstallers {

    /**
     * What the user chose.
     *
     * @param chartsDir null to fetch from the chart repository in {@code versions} (cached under {@link HelmRepository#defaultCacheDir()})
     * @param timeout   the bound on each wait
     */
    public record Options(MeshMode mode, Versions versions, MeshValues values, Path chartsDir, Duration timeout) {
        /** Ambient, the pinned versions, no user values, charts fetched, 5 minutes per wait. */
        public static Options defaults() {
            return new Options(MeshMode.AMBIENT, Versions.defaults(), MeshValues.none(), null, Waits.defaults().timeout());
        }

        public Options withMode(MeshMode m) {
            return new Options(m, versions, values, chartsDir, timeout);
        }

        public ChartSource chartSource() {
            return chartsDir != null ? new ChartsDirectory(chartsDir)
                    : new HelmRepository(versions.istio().chartRepository(), HelmRepository.defaultCacheDir());
        }
    }

    private MeshInstallers() {
    }

    /**
     * Istio for {@code cluster}: planned for its platform and CNI bin dir, applying server-side, writing rendered
     * manifests and values under {@code <run>/mesh/}. Asks the cluster for its version (Helm's KubeVersion).
     */
    public static MeshInstaller istio(Cluster cluster, Options options, RunDirectory run) {
        InstallPlan plan = IstioPlanner.plan(options.mode(), cluster.platform(), cluster.cniBinDir(), options.versions(), options.values());
        ChartSource charts = options.chartSource();
        run.write("plan.txt", PlanPrinter.print(plan, charts.describe()));
        String kubeVersion = cluster.client().getKubernetesVersion().getGitVersion();
        Waits waits = new Waits(options.timeout(), Duration.ofSeconds(2), Duration.ofSeconds(10));
        return new IstioInstaller(cluster.client(), plan, charts, ObjectApplier.serverSide(cluster.client()),
                waits, run.resolve("mesh"), kubeVersion);
    }
}
