package dev.meshproof.bench;

import dev.meshproof.agent.load.LoadRecorder;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Progress;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cluster mode: one namespace per mode ({@code meshproof-bench-<mode>}), enrolled in that mode, holding the
 * agent client and echo server, so client and server always share the mode (a sidecar client bypasses
 * waypoints, istio/istio#51445). Load runs inside the client pod ({@link PodLoadExecutor}) against
 * the server's Service; the pods' nodes are recorded per mode. Everything created is registered in the scope.
 */
public final class ClusterModeRunner implements ModeRunner {
    public static final String NAMESPACE_PREFIX = "meshproof-bench-";
    /** App labels and Deployment names of fixtures/workloads/agent-{client,server}.yaml (server version v1). */
    public static final String CLIENT_APP = "client";
    public static final String SERVER_APP = "echo";
    public static final String SERVER_DEPLOYMENT = "echo-v1";
    public static final int SERVER_PORT = 8080;

    /**
     * Puts a namespace into a mode. INTEGRATION: implemented by the mesh installer: no-mesh nothing; sidecar
     * {@code istio-injection=enabled}; ambient-l4 {@code istio.io/dataplane-mode=ambient}; ambient-l7 that plus a
     * waypoint (Gateway, gatewayClassName istio-waypoint, Programmed) and {@code istio.io/use-waypoint=waypoint}
     * (istio/api@release-1.29:label/labels.yaml; istio/istio@1.29.6:istioctl/pkg/waypoint/waypoint.go).
     * Called before any pod is created.
     */
    @FunctionalInterface
    public interface ModeEnrollment {
        void enroll(String namespace, DataPath mode, Scope scope);
    }

    /**
     * Deploys the agent client and echo server (v1) into a namespace and waits until they are ready.
     * INTEGRATION: {@code dev.meshproof.workload.Workloads#deployServer(ns, "v1")} and {@code #deployClient(ns)}
     * plus their readiness wait; the client pod's memory limit must hold the agent and the engine's heap ({@link dev.meshproof.agent.load.LoadEngine#HEAP}).
     */
    @FunctionalInterface
    public interface BenchWorkloads {
        void deploy(String namespace, Scope scope);
    }

    /** Runs one repetition's load inside the client pod; {@link PodLoadExecutor#run} in production. */
    @FunctionalInterface
    public interface ClientPodLoad {
        LoadResult run(String namespace, String pod, LoadSpec spec, Path runDir, Consumer<LoadRecorder.Interval> progress);
    }

    private final Cluster cluster;
    private final ModeEnrollment enrollment;
    private final BenchWorkloads workloads;
    private final ClientPodLoad executor;
    private final PodPlacement placement;
    private final LoadProfile.Placement wanted;
    private final Scope scope;
    private final ProxyResourceMeter meter;
    private final Map<DataPath, Map<String, String>> placements = new EnumMap<>(DataPath.class);
    private final Map<DataPath, ProxyResources> lastResources = new EnumMap<>(DataPath.class);

    public ClusterModeRunner(Cluster cluster, ModeEnrollment enrollment, BenchWorkloads workloads, ClientPodLoad executor,
                             PodPlacement placement, LoadProfile.Placement wanted, ProxyResourceMeter meter, Scope scope) {
        this.cluster = cluster;
        this.enrollment = enrollment;
        this.workloads = workloads;
        this.executor = executor;
        this.placement = placement;
        this.wanted = wanted;
        this.meter = meter;
        this.scope = scope;
    }

    public static String namespace(DataPath mode) {
        return NAMESPACE_PREFIX + mode.id();
    }

    @Override
    public String target() {
        return cluster.description();
    }

    @Override
    public List<DataPath> supportedModes() {
        return List.of(DataPath.values());
    }

    @Override
    public void prepare(DataPath mode) {
        String ns = namespace(mode);
        Progress.step("bench: preparing mode " + mode + " in namespace " + ns);
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                .addToLabels("app.kubernetes.io/part-of", "meshproof").endMetadata().build()).create();
        scope.onClose("delete namespace " + ns, () -> cluster.client().namespaces().withName(ns).delete());
        enrollment.enroll(ns, mode, scope);
        workloads.deploy(ns, scope);
        placement.choose(wanted).ifPresent(nodes -> {
            placement.pin(ns, CLIENT_APP, CLIENT_APP, nodes[0]);
            placement.pin(ns, SERVER_DEPLOYMENT, SERVER_APP, nodes[1]);
        });
        placements.put(mode, placement.record(ns, CLIENT_APP, SERVER_APP));
        Progress.info("placement of " + mode + ": " + placements.get(mode));
    }

    @Override
    public URI targetFor(DataPath mode, String path) {
        return URI.create("http://" + SERVER_APP + "." + namespace(mode) + ".svc.cluster.local:" + SERVER_PORT + path);
    }

    @Override
    public LoadResult run(DataPath mode, LoadSpec spec, Path runDir, Consumer<LoadRecorder.Interval> progress) {
        String ns = namespace(mode);
        String clientPod = placement.clientPod(ns, CLIENT_APP);
        MeasuredWindowClock window = new MeasuredWindowClock(spec, java.time.Clock.systemUTC());
        try (ProxyResourceMeter.Sampling sampling = meter.start(mode, ns)) {
            LoadResult result = executor.run(ns, clientPod, spec, runDir, window.observing(progress));
            ProxyResources resources = sampling.finish(window.window(), result.sent());
            lastResources.put(mode, resources);
            Progress.info("[" + spec.label() + "] proxies: " + resources.describe());
            return result;
        }
    }

    /** The proxies' CPU and memory during the last repetition of {@code mode} (its measured window only). */
    @Override
    public java.util.Optional<ProxyResources> proxyResources(DataPath mode) {
        return java.util.Optional.ofNullable(lastResources.get(mode));
    }

    @Override
    public Map<String, String> placement(DataPath mode) {
        return placements.getOrDefault(mode, Map.of());
    }

    @Override
    public void close() {
        // namespaces are deleted by the scope, in reverse order of creation
    }
}
