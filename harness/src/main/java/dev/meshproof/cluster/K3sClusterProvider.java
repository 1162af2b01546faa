package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * k3s in Testcontainers containers, the default cluster: one server, and with {@code --nodes N} N−1 agents joined to
 * it on a Docker network of their own ({@link K3sTopology}).
 * <p>
 * Order matters for failing fast: Docker is probed first (seconds), then the image is looked up locally and
 * pulled with a bound, and only then are containers created. Every container and the network are registered for
 * removal before they start ({@link K3sNodeSet}); the server starts first (agents need its token), then the agents
 * together, then every node must be Ready in the API under its own name.
 */
public final class K3sClusterProvider implements ClusterProvider {
    /** Label on every k3s container (and network) Meshproof starts; the value says which lifetime it has. */
    public static final String LABEL = "dev.meshproof.cluster";
    /** On each node container: the node's name in the API. */
    public static final String NODE_LABEL = LABEL + ".node";
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    /** How long the containers live. */
    public enum Lifetime {
        /** Stopped when the run's scope closes (and by Testcontainers' reaper at JVM exit). */
        RUN,
        /** Survives the JVM (--keep); a unique label keeps other runs from reusing it. Stopped by the scope unless it keeps. */
        KEPT,
        /** {@code cluster up}: found again by Testcontainers reuse on the next {@code up}; removed by {@code cluster down}. */
        LONG_LIVED
    }

    private final String image;
    private final DockerEngine docker;
    private final Duration pullTimeout;
    private final Lifetime lifetime;
    private final String labelValue;
    private String registryMirror;
    private int nodes = 1;

    public K3sClusterProvider(String image, DockerEngine docker, Duration pullTimeout, Lifetime lifetime, String labelValue) {
        this.image = image;
        this.docker = docker;
        this.pullTimeout = pullTimeout;
        this.lifetime = lifetime;
        this.labelValue = labelValue;
    }

    /** Pull through {@code mirror} ({@code --registry-mirror}; null: none): see {@link K3sRegistries}. Returns this. */
    public K3sClusterProvider registryMirror(String mirror) {
        if (mirror != null) {
            K3sRegistries.endpoint(mirror); // exit 2 before anything starts
        }
        this.registryMirror = mirror;
        return this;
    }

    /** {@code --nodes}: the server and {@code n}−1 agents (exit 2 outside 1…{@link K3sTopology#MAX_NODES}). Returns this. */
    public K3sClusterProvider nodes(int n) {
        this.nodes = K3sTopology.requireNodes(n);
        return this;
    }

    public int nodes() {
        return nodes;
    }

    /** The files put into every node before k3s starts, by path. */
    Map<String, String> nodeFiles() {
        return registryMirror == null ? Map.of() : Map.of(K3sRegistries.PATH, K3sRegistries.mirroring(registryMirror));
    }

    @Override
    public String name() {
        return ClusterOptions.K3S;
    }

    public String image() {
        return image;
    }

    /** What the nodes of this cluster look like on an engine with (or without) cgroup v1; no container is made. */
    K3sTopology topology(boolean cgroupV1) {
        return new K3sTopology(nodes, image, cgroupV1, nodeFiles());
    }

    /** The labels of the containers and network: the lifetime's value, for a kept run its run directory, the registry mirror. */
    Map<String, String> labels(RunDirectory run) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, labelValue);
        if (lifetime == Lifetime.KEPT) {
            // reuse only to escape the reaper; the run-unique label makes the reuse hash unique
            labels.put(LABEL + ".run", run.root().getFileName().toString());
        }
        if (registryMirror != null) {
            labels.put(K3sNodeContainers.MIRROR_LABEL, registryMirror);
        }
        return labels;
    }

    @Override
    public Cluster provision(RunDirectory run, Scope scope) {
        DockerEngine.Status engine = requireDocker(docker);
        if (nodes > 1 && engine.cgroupV1()) {
            // agents need a cgroup namespace of their own (K3sNodeContainers); not tried on cgroup v1, so not offered
            throw MeshproofException.environment("--nodes " + nodes + " needs a Docker host with cgroup v2; this one runs cgroup v1 ("
                            + engine.description() + ")",
                    "each k3s agent runs in its own cgroup namespace so that its kubelet does not remove the other nodes' pods;"
                            + " use --nodes 1 here, or a cgroup v2 host", null);
        }
        Progress.step("k3s " + image + (nodes > 1 ? ", " + nodes + " nodes" : "") + " on " + engine.description());
        Progress.info(image + ": " + new ImageAvailability(docker, pullTimeout).ensure(image));
        K3sTopology topology = topology(engine.cgroupV1());
        if (engine.cgroupV1()) {
            Progress.info("Docker host runs cgroup v1" + (K3sCommand.kubeletKnowsFailCgroupV1(image)
                    ? ": adding --kubelet-arg=fail-cgroupv1=false" : ""));
        }
        boolean reuse = lifetime != Lifetime.RUN;
        if (reuse) {
            TestcontainersReuse.ensureEnabled();
        }
        Map<String, String> labels = labels(run);
        K3sNodeSet nodeSet = new K3sNodeSet();
        boolean stopOnClose = lifetime != Lifetime.LONG_LIVED;
        if (stopOnClose) {
            // registered before anything starts: a container that started but never got ready is removed too
            scope.onClose("stop the k3s node container" + (topology.needsNetwork() ? "s and their Docker network" : ""), nodeSet::close);
        }
        Network network = topology.needsNetwork() ? network(run, labels, nodeSet) : null;
        GenericContainer<?> server = K3sNodeContainers.create(topology.server(docker.host()), image, network, labels, reuse, START_TIMEOUT);
        nodeSet.add(K3sTopology.SERVER_NAME, server);
        start(server);
        String yaml = K3sKubeconfig.pointedAt(
                server.copyFileFromContainer(K3sKubeconfig.PATH, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8)),
                "https://" + server.getHost() + ":" + server.getMappedPort(K3sTopology.API_PORT));
        var kubeconfig = run.writePrivate("kubeconfig.yaml", yaml);
        if (topology.nodes() > 1) {
            startAgents(topology, readToken(new K3sShell(server), TOKEN_TIMEOUT), network, labels, reuse, nodeSet);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(ClientSettings.run(Config.fromKubeconfig(yaml))).build();
        scope.onClose("close Kubernetes client", client::close);
        String binDir = readCniBinDir(new K3sShell(server)).orElse(null);
        K3sCluster cluster = new K3sCluster(image, server, nodeSet, client, kubeconfig, binDir, stopOnClose);
        try {
            Progress.timed("waiting for the k3s node" + (nodes > 1 ? "s" : "") + " and kube-system pods", () -> {
                new ClusterReadiness(client, READY_TIMEOUT, Duration.ofSeconds(2)).expecting(topology.nodeNames()).await();
                return null;
            });
        } catch (MeshproofException e) {
            nodeSet.members().forEach(m -> run.write("k3s-" + m.name() + ".log",
                    tail(((GenericContainer<?>) m.container()).getLogs(), 300)));
            throw e;
        }
        Progress.info("ready: " + cluster.description() + "; CNI bin dir " + cluster.cniBinDir().orElse("(not found)"));
        return cluster;
    }

    /**
     * The cluster's network: Testcontainers' own for a run (removed with it, and by the reaper at JVM exit); for a
     * cluster that outlives the process, one made through the engine with Meshproof's labels only, found again by name.
     */
    private Network network(RunDirectory run, Map<String, String> labels, K3sNodeSet nodeSet) {
        Network network;
        String name;
        if (lifetime == Lifetime.RUN) {
            network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(labels)).build();
            name = "of this run";
        } else {
            name = networkName(lifetime == Lifetime.KEPT ? run.root().getFileName().toString() : labelValue);
            String id = docker.network(name, labels);
            network = new EngineNetwork(id, docker);
        }
        if (lifetime != Lifetime.LONG_LIVED) {
            nodeSet.network(name, network::close);
        }
        return network;
    }

    /** {@code meshproof-k3s-<suffix>} with what Docker does not take in a network name replaced by dashes. */
    static String networkName(String suffix) {
        return "meshproof-k3s-" + suffix.replaceAll("[^a-zA-Z0-9_.-]", "-");
    }

    /** A network made through {@link DockerEngine#network}; closing it removes it. */
    private record EngineNetwork(String id, DockerEngine docker) implements Network {
        @Override
        public String getId() {
            return id;
        }

        @Override
        public void close() {
            docker.removeNetwork(id);
        }
    }

    private void startAgents(K3sTopology topology, String token, Network network, Map<String, String> labels, boolean reuse,
                             K3sNodeSet nodeSet) {
        List<K3sNodeSet.Member> agents = new ArrayList<>();
        for (int i = 1; i < topology.nodes(); i++) {
            K3sNode agent = topology.agent(i, token);
            agents.add(nodeSet.add(agent.name(), K3sNodeContainers.create(agent, image, network, labels, reuse, START_TIMEOUT)));
        }
        try {
            Progress.timed("starting " + agents.size() + " k3s agent" + (agents.size() > 1 ? "s" : "") + " joining "
                    + K3sTopology.SERVER_NAME, () -> {
                K3sNodeSet.startTogether(agents);
                return null;
            });
        } catch (K3sNodeSet.StartFailed e) {
            throw didNotStart("the k3s agent " + e.node(), e.getCause());
        }
    }

    /**
     * The token agents join with, as the server wrote it ({@link K3sTopology#SERVER_TOKEN}); polled briefly, as the
     * file appears early in the server's start. Its content is never part of a message.
     */
    static String readToken(ContainerShell server, Duration timeout) {
        AtomicReference<String> token = new AtomicReference<>();
        new Waits(timeout, Duration.ofMillis(500), Duration.ofSeconds(10)).until("the k3s server's join token in " + K3sTopology.SERVER_TOKEN, () -> {
            ContainerShell.Result r = server.exec("cat", K3sTopology.SERVER_TOKEN);
            if (r.ok() && !r.stdout().isBlank()) {
                token.set(r.stdout().strip());
                return null;
            }
            return r.ok() ? "the file is empty" : "cannot read it (" + firstLine(r.stderr()) + ")";
        }, "the k3s server did not write its token; its log is in the container (rerun with --verbose)");
        return token.get();
    }

    /** Exit 3 with one line when no engine answers. */
    public static DockerEngine.Status requireDocker(DockerEngine docker) {
        DockerEngine.Status engine = docker.probe();
        if (!engine.reachable()) {
            throw MeshproofException.environment("no Docker engine found (" + engine.description()
                    + "): start Docker or use --cluster kubeconfig", null, null);
        }
        return engine;
    }

    private void start(GenericContainer<?> container) {
        // container.start() blocks until k3s logs its readiness line; say every 10 s what it is waiting for
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshproof-k3s-start-progress");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> Progress.waiting("k3s to log 'Node controller sync successful'",
                Duration.ofNanos(System.nanoTime() - start), START_TIMEOUT), 10, 10, TimeUnit.SECONDS);
        try {
            Progress.timed("starting the k3s server container (" + image + ", up to " + START_TIMEOUT.toSeconds() + "s)", () -> {
                container.start();
                return null;
            });
        } catch (RuntimeException e) {
            throw didNotStart("the k3s container", e);
        } finally {
            ticker.shutdownNow();
        }
    }

    private static MeshproofException didNotStart(String what, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return MeshproofException.environment(what + " did not start: " + TestcontainersDockerEngine.oneLine(root),
                "k3s needs privileged containers and a writable /sys/fs/cgroup (rootless Docker and some Docker-in-Docker setups refuse them); rerun with --verbose",
                e);
    }

    /** The CNI bin dir from the node's containerd config (k3s-io/k3s#11790); empty with a warning when absent. */
    static Optional<String> readCniBinDir(ContainerShell node) {
        ContainerShell.Result r = node.exec("cat", ContainerdConfig.PATH);
        Optional<String> dir = r.ok() ? ContainerdConfig.cniBinDir(r.stdout()) : Optional.empty();
        if (dir.isEmpty()) {
            Progress.info("warning: no CNI bin_dir in " + ContainerdConfig.PATH
                    + (r.ok() ? "" : " (" + r.stderr().strip() + ")") + "; the installer falls back to the platform default");
        }
        return dir;
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    }
}
