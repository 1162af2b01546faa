package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ClusterModeRunner drives the proxy meter around each repetition: started before the load, finished with the measured window. */
@EnableKubernetesMockClient(crud = true)
class ClusterModeRunnerResourcesTest {
    static final String NS = "meshproof-bench-sidecar";
    static final LoadSpec SPEC = new LoadSpec(URI.create("http://echo:8080/"), 100, Duration.ofSeconds(60), Duration.ofSeconds(15),
            4, 0, true, Duration.ofSeconds(10), Duration.ofSeconds(5), "sidecar rep 1/1");

    KubernetesClient client;
    @TempDir
    Path dir;
    final List<String> events = new ArrayList<>();
    ProxyResourceMeter.MeasuredWindow finishedWith;
    long finishedRequests;

    @BeforeEach
    void clientPod() {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("client-1").withNamespace(NS)
                .addToLabels("app", "client").endMetadata().build()).create();
    }

    /** Records what the runner asked; every finished sampling reports 42 mC. */
    final ProxyResourceMeter meter = (mode, namespace) -> {
        events.add("start " + mode + " " + namespace);
        return new ProxyResourceMeter.Sampling() {
            @Override
            public ProxyResources finish(ProxyResourceMeter.MeasuredWindow window, long requests) {
                events.add("finish");
                finishedWith = window;
                finishedRequests = requests;
                return ProxyResources.measured(List.of(new ProxyResources.Component("sidecar", "client", namespace, "client-1",
                        "istio-proxy", "n", 3, 42.0, 50.0, 60.0, 2520.0, null)), requests, 1);
            }

            @Override
            public void close() {
                events.add("close");
            }
        };
    };

    private ClusterModeRunner runner(ClusterModeRunner.ClientPodLoad load) {
        return new ClusterModeRunner(null, (ns, m, s) -> { }, (ns, s) -> { }, load, new PodPlacement(client, Duration.ofSeconds(5)),
                LoadProfile.Placement.ANY, meter, null);
    }

    @Test
    void eachRepetitionIsMeasuredOverItsMeasuredWindowOnly() {
        LoadResult result = Synthetic.loadResult(new Random(1), 800, 0, 6000, 0);
        ClusterModeRunner runner = runner((ns, pod, spec, runDir, progress) -> {
            events.add("load " + ns + "/" + pod);
            progress.accept(new LoadRecorder.Interval(5, 100, 0, 0, 0, true));
            progress.accept(new LoadRecorder.Interval(20, 100, 500, 900, 0, false));
            return result;
        });
        Instant before = Instant.now();

        runner.run(DataPath.SIDECAR, SPEC, dir, i -> { });

        assertThat(events).containsExactly("start sidecar " + NS, "load " + NS + "/client-1", "finish", "close");
        assertThat(finishedWith.length()).isEqualTo(Duration.ofSeconds(60));
        assertThat(Duration.between(before, finishedWith.from()).toMillis()).as("first send 20 s before the line, + 15 s warm-up")
                .isCloseTo(-5000L, within(3000L));
        assertThat(finishedRequests).isEqualTo(result.sent());
        assertThat(runner.proxyResources(DataPath.SIDECAR)).hasValueSatisfying(r -> assertThat(r.cpuMillicoresMean()).isEqualTo(42.0));
        assertThat(runner.proxyResources(DataPath.AMBIENT_L4)).isEmpty();
    }

    @Test
    void aFailedRepetitionStopsTheSamplingAndReportsNothing() {
        ClusterModeRunner runner = runner((ns, pod, spec, runDir, progress) -> {
            throw MeshproofException.environment("the load engine in pod exited 1", null, null);
        });

        assertThatThrownBy(() -> runner.run(DataPath.SIDECAR, SPEC, dir, i -> { })).hasMessageContaining("exited 1");
        assertThat(events).containsExactly("start sidecar " + NS, "close");
        assertThat(runner.proxyResources(DataPath.SIDECAR)).isEmpty();
    }
}
