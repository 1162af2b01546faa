package dev.meshproof.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The metrics-API sampler against the mock API server in expectations mode: which proxies, what arithmetic, what when absent. */
@EnableKubernetesMockClient
class MetricsServerMeterTest {
    static final String METRICS = "/apis/metrics.k8s.io/v1beta1/namespaces/";
    static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;

    private static Pod pod(String name, Map<String, String> labels, String node, String... containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase("Running").endStatus();
        for (String c : containers) {
            b.editSpec().addNewContainer().withName(c).endContainer().endSpec();
        }
        return b.build();
    }

    private void pods(String namespace, Pod... pods) {
        server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods")
                .andReturn(200, new PodListBuilder().withItems(pods).build()).always();
    }

    private static PodMetrics metrics(String pod, Instant timestamp, String... containerCpuMemory) {
        PodMetricsBuilder b = new PodMetricsBuilder().withNewMetadata().withName(pod).endMetadata()
                .withTimestamp(timestamp.toString()).withWindow(new io.fabric8.kubernetes.api.model.Duration(Duration.ofSeconds(15)));
        for (int i = 0; i < containerCpuMemory.length; i += 3) {
            b.addToContainers(new ContainerMetricsBuilder().withName(containerCpuMemory[i])
                    .addToUsage("cpu", new Quantity(containerCpuMemory[i + 1])).addToUsage("memory", new Quantity(containerCpuMemory[i + 2])).build());
        }
        return b.build();
    }

    private void sidecarPods(String ns) {
        pods(ns, pod("client-1", Map.of("app", "client"), "node-a", "agent", "istio-proxy"),
                pod("echo-v1-1", Map.of("app", "echo", "version", "v1"), "node-b", "agent", "istio-proxy"));
    }

    private void ambientPods(String ns) {
        pods(ns, pod("client-1", Map.of("app", "client"), "node-a", "agent"),
                pod("echo-v1-1", Map.of("app", "echo"), "node-b", "agent"),
                pod("waypoint-5f-x", Map.of(PodPlacement.WAYPOINT_POD_LABEL, "waypoint"), "node-c", "istio-proxy"));
        pods("istio-system", pod("ztunnel-a", Map.of("app", "ztunnel"), "node-a", "istio-proxy"),
                pod("ztunnel-b", Map.of("app", "ztunnel"), "node-b", "istio-proxy"),
                pod("ztunnel-c", Map.of("app", "ztunnel"), "node-c", "istio-proxy"),
                pod("istiod-1", Map.of("app", "istiod"), "node-a", "discovery"));
    }

    /** Polls every 20 ms until the API server saw {@code requests} more requests, then finishes over [T0, T0 + 60 s] with 60 000 requests. */
    private ProxyResources pollOverAMinute(DataPath mode, String namespace, int requests) {
        MetricsServerMeter meter = new MetricsServerMeter(client, Duration.ofMillis(20));
        int before = server.getRequestCount();
        try (ProxyResourceMeter.Sampling sampling = meter.start(mode, namespace)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.getRequestCount() - before >= requests);
            return sampling.finish(new ProxyResourceMeter.MeasuredWindow(T0, T0.plusSeconds(60)), 60_000);
        }
    }

    @Test
    void eachModeMeasuresExactlyTheProxiesOnItsPath() {
        sidecarPods("s");
        ambientPods("a");
        MetricsServerMeter meter = new MetricsServerMeter(client, Duration.ofSeconds(5));

        assertThat(meter.proxies(DataPath.SIDECAR, "s")).extracting(p -> p.kind() + " " + p.role() + " " + p.pod() + " " + p.container())
                .containsExactly("sidecar client client-1 istio-proxy", "sidecar server echo-v1-1 istio-proxy");
        assertThat(meter.proxies(DataPath.AMBIENT_L4, "a")).as("ztunnels of the client's and server's nodes only")
                .extracting(p -> p.kind() + " " + p.pod() + " " + p.node()).containsExactly("ztunnel ztunnel-a node-a", "ztunnel ztunnel-b node-b");
        assertThat(meter.proxies(DataPath.AMBIENT_L7, "a")).extracting(p -> p.kind() + " " + p.pod())
                .containsExactly("ztunnel ztunnel-a", "ztunnel ztunnel-b", "waypoint waypoint-5f-x");
        assertThat(meter.proxies(DataPath.NO_MESH, "s")).isEmpty();
    }

    @Test
    void aSidecarReadingCountsTheIstioProxyContainerNotTheApplication() {
        sidecarPods("s");
        server.expect().get().withPath(METRICS + "s/pods/client-1")
                .andReturn(200, metrics("client-1", T0, "agent", "500m", "200Mi", "istio-proxy", "20m", "40Mi")).always();
        server.expect().get().withPath(METRICS + "s/pods/echo-v1-1")
                .andReturn(200, metrics("echo-v1-1", T0, "agent", "300m", "180Mi", "istio-proxy", "12500000n", "36864Ki")).always();
        MetricsServerMeter meter = new MetricsServerMeter(client, Duration.ofSeconds(5));

        List<MetricsServerMeter.Sample> samples = meter.sampleOnce(meter.proxies(DataPath.SIDECAR, "s"));

        assertThat(samples).extracting(MetricsServerMeter.Sample::cpuMillicores).containsExactly(20.0, 12.5);
        assertThat(samples).extracting(MetricsServerMeter.Sample::memoryMiB).containsExactly(40.0, 36.0);
        assertThat(samples.get(0).window()).isEqualTo(Duration.ofSeconds(15));
        assertThat(samples.get(0).timestamp()).isEqualTo(T0);
    }

    @Test
    void pollingDeduplicatesRepeatedSamplesAndKeepsOnlyTheMeasuredWindow() {
        ambientPods("a");
        server.expect().get().withPath(METRICS + "istio-system/pods/ztunnel-a")
                .andReturn(200, metrics("ztunnel-a", T0.plusSeconds(30), "istio-proxy", "60m", "12Mi")).always();
        server.expect().get().withPath(METRICS + "istio-system/pods/ztunnel-b")
                .andReturn(200, metrics("ztunnel-b", T0.plusSeconds(30), "istio-proxy", "40m", "10Mi")).always();
        // several polls, each returning the same metrics-server sample (it repeats until its next scrape)
        ProxyResources r = pollOverAMinute(DataPath.AMBIENT_L4, "a", 8);

        assertThat(r.status()).isEqualTo(ProxyResources.MEASURED);
        assertThat(r.components()).extracting(ProxyResources.Component::samples).containsExactly(1, 1);
        assertThat(r.cpuMillicoresMean()).isEqualTo(100.0);
        assertThat(r.memoryMiBMax()).isEqualTo(22.0);
        assertThat(r.cpuMsPer1kRequests()).as("0.1 cores × 60 s / 60 000 requests × 1000").isEqualTo(100.0);
    }

    @Test
    void aMissingMetricsApiIsNotMeasuredNeverZero() {
        sidecarPods("s");
        server.expect().get().withPath(METRICS + "s/pods/client-1").andReturn(404, "404 page not found").always();
        server.expect().get().withPath(METRICS + "s/pods/echo-v1-1").andReturn(404, "404 page not found").always();
        ProxyResources r = pollOverAMinute(DataPath.SIDECAR, "s", 5);

        assertThat(r.status()).isEqualTo(ProxyResources.NOT_MEASURED);
        assertThat(r.reason()).isEqualTo("metrics API unavailable");
        assertThat(r.cpuMillicoresMean()).isNull();
        assertThat(r.memoryMiBMax()).isNull();
        assertThat(r.cpuMsPer1kRequests()).isNull();
        assertThat(r.components()).extracting(ProxyResources.Component::samples).containsExactly(0, 0);
        assertThat(r.cpuCell()).isEqualTo("not measured (metrics API unavailable)");
    }

    @Test
    void metricsWithoutTheProxyContainerAreNothingNotZero() {
        sidecarPods("s");
        // the API answers, but only for the app container (e.g. the sidecar not yet scraped)
        server.expect().get().withPath(METRICS + "s/pods/client-1")
                .andReturn(200, metrics("client-1", T0.plusSeconds(30), "agent", "500m", "200Mi")).always();
        server.expect().get().withPath(METRICS + "s/pods/echo-v1-1")
                .andReturn(200, metrics("echo-v1-1", T0.plusSeconds(30), "agent", "300m", "180Mi")).always();

        ProxyResources r = pollOverAMinute(DataPath.SIDECAR, "s", 5);

        assertThat(r.status()).isEqualTo(ProxyResources.NOT_MEASURED);
        assertThat(r.reason()).isEqualTo("metrics API unavailable");
        assertThat(r.cpuMillicoresMean()).isNull();
    }

    @Test
    void noMeshHasNoProxyToMeasure() {
        ProxyResources r = new MetricsServerMeter(client, Duration.ofSeconds(5)).start(DataPath.NO_MESH, "n")
                .finish(new ProxyResourceMeter.MeasuredWindow(T0, T0.plusSeconds(60)), 60_000);
        assertThat(r.status()).isEqualTo(ProxyResources.NO_PROXY);
        assertThat(r.cpuCell()).isEqualTo("–");
    }

    @Test
    void meanMaxAndSampleCountsOverTheWindowOnly() {
        MetricsServerMeter.Proxy a = new MetricsServerMeter.Proxy("sidecar", "client", "s", "client-1", "istio-proxy", "node-a");
        MetricsServerMeter.Proxy b = new MetricsServerMeter.Proxy("sidecar", "server", "s", "echo-v1-1", "istio-proxy", "node-b");
        Duration w = Duration.ofSeconds(15);
        List<MetricsServerMeter.Sample> samples = List.of(
                new MetricsServerMeter.Sample(a, T0.plusSeconds(10), w, 999, 999), // window starts 5 s before: warm-up
                new MetricsServerMeter.Sample(a, T0.plusSeconds(15), w, 10, 50),
                new MetricsServerMeter.Sample(a, T0.plusSeconds(15), w, 10, 50),   // repeated sample: counted once
                new MetricsServerMeter.Sample(a, T0.plusSeconds(30), w, 30, 55),
                new MetricsServerMeter.Sample(a, T0.plusSeconds(75), w, 999, 999), // after the window
                new MetricsServerMeter.Sample(b, T0.plusSeconds(45), w, 40, 12));

        ProxyResources r = MetricsServerMeter.summarise(List.of(a, b), samples,
                new ProxyResourceMeter.MeasuredWindow(T0, T0.plusSeconds(60)), 60_000);

        assertThat(r.status()).isEqualTo(ProxyResources.MEASURED);
        ProxyResources.Component ca = r.components().get(0);
        assertThat(ca.samples()).isEqualTo(2);
        assertThat(ca.cpuMillicoresMean()).isEqualTo(20.0);
        assertThat(ca.cpuMillicoresMax()).isEqualTo(30.0);
        assertThat(ca.memoryMiBMax()).isEqualTo(55.0);
        assertThat(ca.cpuMs()).as("20 mC × 60 s").isEqualTo(1200.0);
        assertThat(ca.cpuMsPer1kRequests()).isEqualTo(20.0);
        assertThat(r.components().get(1).samples()).isEqualTo(1);
        assertThat(r.cpuMillicoresMean()).isEqualTo(60.0);
        assertThat(r.memoryMiBMax()).isEqualTo(67.0);
        assertThat(r.cpuMsPer1kRequests()).as("(1200 + 2400) CPU-ms / 60 000 requests × 1000").isEqualTo(60.0);
    }

    @Test
    void aProxyWithoutASampleInTheWindowMakesTheModeNotMeasured() {
        MetricsServerMeter.Proxy a = new MetricsServerMeter.Proxy("ztunnel", "node a", "istio-system", "ztunnel-a", null, "node-a");
        MetricsServerMeter.Proxy b = new MetricsServerMeter.Proxy("waypoint", "server", "a", "waypoint-1", null, "node-a");
        List<MetricsServerMeter.Sample> samples = List.of(new MetricsServerMeter.Sample(a, T0.plusSeconds(9), Duration.ofSeconds(15), 5, 5));

        ProxyResources r = MetricsServerMeter.summarise(List.of(a, b), samples,
                new ProxyResourceMeter.MeasuredWindow(T0, T0.plusSeconds(10)), 10_000);

        assertThat(r.status()).isEqualTo(ProxyResources.NOT_MEASURED);
        assertThat(r.reason()).contains("no metrics sample inside the 10 s measured window").contains("ztunnel ztunnel-a", "waypoint waypoint-1");
        assertThat(r.cpuMillicoresMean()).isNull();
    }
}
