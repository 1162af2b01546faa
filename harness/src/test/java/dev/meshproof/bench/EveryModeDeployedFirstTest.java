package dev.meshproof.bench;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round 1 must not run on a less-populated node: every mode's namespace and pods exist before the first repetition's
 * load starts. The cluster is the fabric8 mock server; the load records which bench namespaces and pods exist when
 * it starts.
 */
@EnableKubernetesMockClient(crud = true)
class EveryModeDeployedFirstTest {
    KubernetesClient client;
    @TempDir
    Path dir;

    @Test
    void everyModeIsDeployedBeforeTheFirstMeasuredRepetition() {
        List<List<String>> seenAtEachLoad = new ArrayList<>();
        ClusterModeRunner.BenchWorkloads workloads = (ns, scope) -> {
            for (String app : List.of(ClusterModeRunner.CLIENT_APP, ClusterModeRunner.SERVER_APP)) {
                client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(app + "-1").withNamespace(ns)
                        .addToLabels("app", app).endMetadata().withNewSpec().withNodeName("node-1").endSpec().build()).create();
            }
        };
        ClusterModeRunner.ClientPodLoad load = (ns, pod, spec, runDir, progress) -> {
            seenAtEachLoad.add(client.pods().inAnyNamespace().list().getItems().stream()
                    .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).sorted().toList());
            return Synthetic.loadResult(new Random(1), 800, 0, 1000, 0);
        };
        ProxyResourceMeter meter = (mode, ns) -> new ProxyResourceMeter.Sampling() {
            @Override
            public ProxyResources finish(ProxyResourceMeter.MeasuredWindow window, long requests) {
                return ProxyResources.notMeasured("test", List.of());
            }

            @Override
            public void close() {
            }
        };
        Scope scope = new Scope("bench");
        ClusterModeRunner runner = new ClusterModeRunner(cluster(), (ns, mode, s) -> { }, workloads, load,
                new PodPlacement(client, Duration.ofSeconds(5)), LoadProfile.Placement.ANY, meter, scope);
        List<DataPath> modes = List.of(DataPath.NO_MESH, DataPath.SIDECAR, DataPath.AMBIENT_L4);
        LoadProfile profile = ProfileLoader.load("smoke").withModes(modes).withRepetitions(2);

        try (scope) {
            new BenchmarkRunner(runner, Duration.ofSeconds(5), BenchmarkSummary.Environment.local()).run(profile, dir);
        }

        assertThat(seenAtEachLoad).hasSize(6);
        List<String> everyMode = modes.stream().flatMap(m -> List.of(ClusterModeRunner.namespace(m) + "/client-1",
                ClusterModeRunner.namespace(m) + "/echo-1").stream()).sorted().toList();
        assertThat(seenAtEachLoad.get(0)).as("when round 1's first repetition starts").containsExactlyElementsOf(everyMode);
    }

    private Cluster cluster() {
        return new Cluster() {
            @Override
            public String description() {
                return "mock";
            }

            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public Path kubeconfig() {
                return dir.resolve("kubeconfig");
            }

            @Override
            public Cluster.Platform platform() {
                return Cluster.Platform.GENERIC;
            }

            @Override
            public void close() {
            }
        };
    }
}
