package dev.meshproof.bench;

import dev.meshproof.core.Progress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link ProxyResourceMeter} on the Kubernetes metrics API ({@code metrics.k8s.io/v1beta1}, served by metrics-server,
 * which k3s ships): polls the PodMetrics of the proxies on a mode's path — sidecar: the {@code istio-proxy} containers
 * of the client and server pods; ambient-l4: the ztunnel pods on the client's and server's nodes; ambient-l7: those
 * and the namespace waypoint's pods; no-mesh: none. Each PodMetrics sample is a rate over metrics-server's window
 * (~15 s), repeated until the next scrape, so samples are de-duplicated by timestamp and kept only when their whole
 * window lies inside the measured window. CPU is the container's user+system time as cgroups count it; memory the
 * working set.
 */
public final class MetricsServerMeter implements ProxyResourceMeter {
    /** The sidecar container's name (istio/istio inject template). */
    static final String SIDECAR_CONTAINER = "istio-proxy";
    /** ztunnel: DaemonSet {@code ztunnel} in istio-system, pods labelled app=ztunnel (istio/istio manifests/charts/ztunnel). */
    static final String ZTUNNEL_NAMESPACE = "istio-system";
    static final String ZTUNNEL_APP = "ztunnel";
    static final String WAYPOINT_NAME = "waypoint";
    /** Clock skew tolerated between this machine and the nodes when matching sample windows. */
    static final Duration SKEW = Duration.ofSeconds(1);

    /** A proxy on the path; {@code container} null = the whole pod. */
    record Proxy(String kind, String role, String namespace, String pod, String container, String node) {
    }

    /** One metrics-API reading of a proxy: rate over {@code [timestamp − window, timestamp]}. */
    record Sample(Proxy proxy, Instant timestamp, Duration window, double cpuMillicores, double memoryMiB) {
    }

    private final KubernetesClient client;
    private final Duration pollEvery;

    /** @param pollEvery how often to read the metrics API (metrics-server refreshes every ~15 s; 5 s catches each refresh) */
    public MetricsServerMeter(KubernetesClient client, Duration pollEvery) {
        this.client = client;
        this.pollEvery = pollEvery;
    }

    /** The proxies serving the client and server in {@code namespace} under {@code mode}. */
    List<Proxy> proxies(DataPath mode, String namespace) {
        if (mode == DataPath.NO_MESH) {
            return List.of();
        }
        List<Pod> pods = running(client.pods().inNamespace(namespace).list().getItems());
        Pod clientPod = withLabel(pods, "app", ClusterModeRunner.CLIENT_APP);
        Pod serverPod = withLabel(pods, "app", ClusterModeRunner.SERVER_APP);
        List<Proxy> out = new ArrayList<>();
        if (mode == DataPath.SIDECAR) {
            for (Map.Entry<String, Pod> e : Map.of("client", clientPod, "server", serverPod).entrySet().stream()
                    .filter(e -> e.getValue() != null).sorted(Map.Entry.comparingByKey()).toList()) {
                Pod p = e.getValue();
                out.add(new Proxy("sidecar", e.getKey(), namespace, p.getMetadata().getName(), SIDECAR_CONTAINER, p.getSpec().getNodeName()));
            }
            return out;
        }
        Set<String> nodes = java.util.stream.Stream.of(clientPod, serverPod).filter(Objects::nonNull)
                .map(p -> p.getSpec().getNodeName()).filter(Objects::nonNull).collect(Collectors.toCollection(java.util.TreeSet::new));
        for (Pod z : running(client.pods().inNamespace(ZTUNNEL_NAMESPACE).list().getItems())) {
            if (ZTUNNEL_APP.equals(label(z, "app")) && nodes.contains(z.getSpec().getNodeName())) {
                out.add(new Proxy("ztunnel", "node " + z.getSpec().getNodeName(), ZTUNNEL_NAMESPACE, z.getMetadata().getName(),
                        null, z.getSpec().getNodeName()));
            }
        }
        if (mode == DataPath.AMBIENT_L7) {
            pods.stream().filter(p -> WAYPOINT_NAME.equals(label(p, PodPlacement.WAYPOINT_POD_LABEL)))
                    .forEach(p -> out.add(new Proxy("waypoint", "server", namespace, p.getMetadata().getName(), null,
                            p.getSpec().getNodeName())));
        }
        return out;
    }

    /** Reads each proxy's current PodMetrics; a proxy the API has nothing for yields no sample. */
    List<Sample> sampleOnce(List<Proxy> proxies) {
        List<Sample> out = new ArrayList<>();
        for (Proxy p : proxies) {
            PodMetrics m = client.top().pods().metrics(p.namespace(), p.pod());
            if (m == null || m.getContainers() == null || m.getTimestamp() == null) {
                continue;
            }
            List<ContainerMetrics> cs = m.getContainers().stream()
                    .filter(c -> p.container() == null || p.container().equals(c.getName())).toList();
            if (cs.isEmpty()) {
                continue;
            }
            double cores = cs.stream().mapToDouble(c -> amount(c.getUsage(), "cpu")).sum();
            double bytes = cs.stream().mapToDouble(c -> amount(c.getUsage(), "memory")).sum();
            if (Double.isNaN(cores) || Double.isNaN(bytes)) {
                continue; // a reading without cpu or memory is no reading, not a zero
            }
            Duration window = m.getWindow() == null || m.getWindow().getDuration() == null ? Duration.ZERO : m.getWindow().getDuration();
            out.add(new Sample(p, Instant.parse(m.getTimestamp()), window, cores * 1000, bytes / (1024 * 1024)));
        }
        return out;
    }

    @Override
    public Sampling start(DataPath mode, String namespace) {
        List<Proxy> proxies = proxies(mode, namespace);
        if (mode == DataPath.NO_MESH) {
            return fixed(ProxyResources.noProxy());
        }
        if (proxies.isEmpty()) {
            return fixed(ProxyResources.notMeasured("no proxy pod found for " + mode + " in " + namespace, List.of()));
        }
        return new Polling(proxies);
    }

    private static Sampling fixed(ProxyResources result) {
        return new Sampling() {
            @Override
            public ProxyResources finish(MeasuredWindow window, long requests) {
                return result;
            }

            @Override
            public void close() {
                // nothing runs
            }
        };
    }

    /** Polls on a single daemon thread until finished; failures are counted, never turned into zeros. */
    private final class Polling implements Sampling {
        private final List<Proxy> proxies;
        private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshproof-proxy-metrics");
            t.setDaemon(true);
            return t;
        });
        private volatile String lastError;

        Polling(List<Proxy> proxies) {
            this.proxies = proxies;
            poller.scheduleWithFixedDelay(this::poll, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void poll() {
            try {
                samples.addAll(sampleOnce(proxies));
            } catch (KubernetesClientException e) {
                if (lastError == null) {
                    Progress.info("proxy CPU/memory: metrics API (metrics.k8s.io) answered " + e.getCode() + ": " + e.getMessage()
                            .lines().findFirst().orElse("") + " (figures will say 'not measured')");
                }
                lastError = "HTTP " + e.getCode();
            } catch (RuntimeException e) {
                lastError = e.toString();
            }
        }

        @Override
        public ProxyResources finish(MeasuredWindow window, long requests) {
            close();
            List<Sample> copy;
            synchronized (samples) {
                copy = List.copyOf(samples);
            }
            return summarise(proxies, copy, window, requests);
        }

        @Override
        public void close() {
            poller.shutdownNow();
            try {
                poller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The figures of one repetition: per proxy, distinct samples (by timestamp) whose window lies inside the measured
     * window; mean and max CPU, max memory, CPU-ms = mean × window length. Not measured when the API gave nothing at
     * all, or when a proxy has no sample inside the window (a partial total would understate the path).
     */
    static ProxyResources summarise(List<Proxy> proxies, List<Sample> samples, MeasuredWindow window, long requests) {
        if (samples.isEmpty()) {
            return ProxyResources.notMeasured(ProxyResources.API_UNAVAILABLE, components(proxies, Map.of(), window, requests));
        }
        Map<Proxy, Map<Instant, Sample>> inside = new LinkedHashMap<>();
        proxies.forEach(p -> inside.put(p, new LinkedHashMap<>()));
        for (Sample s : samples) {
            if (inside.containsKey(s.proxy()) && window.covers(s.timestamp(), s.window(), SKEW)) {
                inside.get(s.proxy()).putIfAbsent(s.timestamp(), s);
            }
        }
        List<ProxyResources.Component> components = components(proxies, inside, window, requests);
        List<String> missing = components.stream().filter(c -> c.samples() == 0).map(c -> c.kind() + " " + c.pod()).toList();
        if (!missing.isEmpty()) {
            return ProxyResources.notMeasured("no metrics sample inside the " + window.length().toSeconds()
                    + " s measured window for " + String.join(", ", missing) + "; metrics-server samples every ~15 s", components);
        }
        return ProxyResources.measured(components, requests, 1);
    }

    private static List<ProxyResources.Component> components(List<Proxy> proxies, Map<Proxy, Map<Instant, Sample>> inside,
                                                             MeasuredWindow window, long requests) {
        double seconds = window.length().toMillis() / 1000.0;
        List<ProxyResources.Component> out = new ArrayList<>();
        for (Proxy p : proxies) {
            List<Sample> s = List.copyOf(inside.getOrDefault(p, Map.of()).values());
            if (s.isEmpty()) {
                out.add(new ProxyResources.Component(p.kind(), p.role(), p.namespace(), p.pod(), p.container(), p.node(),
                        0, null, null, null, null, null));
                continue;
            }
            double mean = s.stream().mapToDouble(Sample::cpuMillicores).average().orElseThrow();
            double cpuMs = mean * seconds;
            out.add(new ProxyResources.Component(p.kind(), p.role(), p.namespace(), p.pod(), p.container(), p.node(), s.size(),
                    mean, s.stream().mapToDouble(Sample::cpuMillicores).max().orElseThrow(),
                    s.stream().mapToDouble(Sample::memoryMiB).max().orElseThrow(), cpuMs, ProxyResources.perThousand(cpuMs, requests)));
        }
        return out;
    }

    private static double amount(Map<String, Quantity> usage, String resource) {
        Quantity q = usage == null ? null : usage.get(resource);
        return q == null ? Double.NaN : Quantity.getAmountInBytes(q).doubleValue();
    }

    private static List<Pod> running(List<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus() == null || "Running".equals(p.getStatus().getPhase())).toList();
    }

    private static Pod withLabel(List<Pod> pods, String key, String value) {
        return pods.stream().filter(p -> value.equals(label(p, key))).findFirst().orElse(null);
    }

    private static String label(Pod p, String key) {
        return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
    }
}
