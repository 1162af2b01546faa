package dev.meshproof.bench;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.e2e.LiveCluster;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.workload.AgentImage;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.meshproof.cli.ClusterBench;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live path: the seed comparison, shortened, on a real cluster ({@link LiveCluster}) with Istio installed by the
 * wiring: four modes, two interleaved repetitions each, load from inside each mode's client pod, placement recorded.
 */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
class ClusterBenchE2ETest {

    @TempDir
    Path out;

    @Test
    void seedComparisonRunsEveryModeFromItsOwnClientPod(Cluster cluster) {
        // 35 s measured: metrics-server's ~15 s rate windows must fit inside the measured window at least once
        LoadProfile profile = ProfileLoader.load("seed-latency").withRate(200).withDuration(Duration.ofSeconds(35))
                .withWarmup(Duration.ofSeconds(5)).withRepetitions(2);
        // Istio hybrid (the profile compares sidecar and ambient), the agent image imported on k3s, uninstall at the end.
        ClusterBench.Wiring wiring = ClusterBench.prepare(cluster, true, MeshInstallers.Options.defaults(), false,
                new ClusterBench.AgentImageChoice(AgentImage.defaultReference(), System.getProperty("meshproof.agent.base", AgentImage.DEFAULT_BASE)),
                profile, RunDirectory.at(out.resolve("run")), new Scope("e2e-bench"));
        try (ModeRunner runner = ClusterBench.runner(profile, wiring)) {
            BenchmarkSummary s = new BenchmarkRunner(runner, Duration.ofSeconds(5),
                    ClusterBench.environment("live", MeshInstallers.Options.defaults(), false, profile.modes())).run(profile, out);
            assertThat(s.modes()).extracting(BenchmarkSummary.ModeSummary::name)
                    .containsExactly("no-mesh", "sidecar", "ambient-l4", "ambient-l7");
            for (BenchmarkSummary.ModeSummary m : s.modes()) {
                assertThat(m.errors()).as(m.name() + " errors " + m.errorsByOutcome()).isZero();
                assertThat(m.requests()).as(m.name()).isGreaterThanOrEqualTo(13_800);
                assertThat(m.repetitions()).allSatisfy(r -> assertThat(r.placement()).containsKeys("client", "server", "topology"));
            }
            assertThat(s.mode("ambient-l7").repetitions().get(0).placement()).as("the waypoint's node").containsKey("waypoint");
            assertProxyResources(s, cluster);
            assertThat(s.differences()).hasSize(6);
            assertThat(s.order()).hasSize(8);
            List<String> firstRound = s.order().subList(0, 4).stream().map(BenchmarkSummary.PlannedRun::mode).toList();
            assertThat(firstRound).containsExactlyInAnyOrder("no-mesh", "sidecar", "ambient-l4", "ambient-l7");
        } finally {
            wiring.scope().close();
        }
    }

    /** When the cluster serves the metrics API (k3s ships metrics-server), every mesh mode has its proxies' figures. */
    private static void assertProxyResources(BenchmarkSummary s, Cluster cluster) {
        assertThat(s.mode("no-mesh").proxyResources().status()).isEqualTo(ProxyResources.NO_PROXY);
        boolean metricsApi = cluster.client().getApiGroups().getGroups().stream().anyMatch(g -> g.getName().equals("metrics.k8s.io"));
        for (String mode : List.of("sidecar", "ambient-l4", "ambient-l7")) {
            ProxyResources r = s.mode(mode).proxyResources();
            if (!metricsApi) {
                assertThat(r.status()).as(mode + " without a metrics API").isEqualTo(ProxyResources.NOT_MEASURED);
                continue;
            }
            assertThat(r.status()).as(mode + ": " + r.reason()).isEqualTo(ProxyResources.MEASURED);
            assertThat(r.cpuMillicoresMean()).as(mode + " CPU").isPositive();
            assertThat(r.memoryMiBMax()).as(mode + " memory").isPositive();
            assertThat(r.cpuMsPer1kRequests()).as(mode + " CPU-ms per 1k requests").isPositive();
            assertThat(r.components()).allSatisfy(c -> assertThat(c.samples()).isPositive());
        }
        assertThat(s.mode("sidecar").proxyResources().components()).extracting(ProxyResources.Component::kind).containsOnly("sidecar").hasSize(2);
        if (metricsApi) {
            assertThat(s.mode("ambient-l4").proxyResources().components()).extracting(ProxyResources.Component::kind).containsOnly("ztunnel");
            assertThat(s.mode("ambient-l7").proxyResources().components()).extracting(ProxyResources.Component::kind).contains("ztunnel", "waypoint");
        }
    }
}
