package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * k3s in a Testcontainers {@link K3sContainer} (testcontainers-k3s 2.0.5,
 * testcontainers-java@2.0.5:modules/k3s/src/main/java/org/testcontainers/k3s/K3sContainer.java), the default cluster.
 * <p>
 * Order matters for failing fast: Docker is probed first (seconds), then the image is looked up locally and
 * pulled with a bound, and only then is the container created — the K3sContainer constructor itself needs
 * Docker (in Testcontainers 2.0.5 it calls getHost()), so nothing here is static or eager.
 */
public final class K3sClusterProvider implements ClusterProvider {
    /** Label on every k3s container Meshproof starts; the value says which lifetime it has. */
    public static final String LABEL = "dev.meshproof.cluster";
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    /** How long the container lives. */
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

    /** The files put into the node before k3s starts, by path. */
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

    @Override
    public Cluster provision(RunDirectory run, Scope scope) {
        DockerEngine.Status engine = requireDocker(docker);
        Progress.step("k3s " + image + " on " + engine.description());
        Progress.info(image + ": " + new ImageAvailability(docker, pullTimeout).ensure(image));
        K3sContainer container = newContainer(engine.cgroupV1(), run);
        boolean stopOnClose = lifetime != Lifetime.LONG_LIVED;
        if (stopOnClose) {
            // registered before start: a container that started but never got ready is removed too
            scope.onClose("stop k3s container " + image, container::stop);
        }
        start(container);
        String yaml = container.getKubeConfigYaml();
        var kubeconfig = run.writePrivate("kubeconfig.yaml", yaml);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(ClientSettings.run(Config.fromKubeconfig(yaml))).build();
        scope.onClose("close Kubernetes client", client::close);
        String binDir = readCniBinDir(new K3sShell(container)).orElse(null);
        K3sCluster cluster = new K3sCluster(container, client, kubeconfig, binDir, stopOnClose);
        try {
            Progress.timed("waiting for the k3s node and kube-system pods", () -> {
                new ClusterReadiness(client, READY_TIMEOUT, Duration.ofSeconds(2)).await();
                return null;
            });
        } catch (MeshproofException e) {
            run.write("k3s-container.log", tail(container.getLogs(), 300));
            throw e;
        }
        Progress.info("ready: " + cluster.description() + "; CNI bin dir " + cluster.cniBinDir().orElse("(not found)"));
        return cluster;
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

    private K3sContainer newContainer(boolean cgroupV1, RunDirectory run) {
        K3sContainer c = new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
        List<String> args = K3sCommand.serverArgs(c.getHost(), cgroupV1, image);
        if (cgroupV1) {
            Progress.info("Docker host runs cgroup v1" + (args.contains("--kubelet-arg=fail-cgroupv1=false")
                    ? ": adding --kubelet-arg=fail-cgroupv1=false" : ""));
        }
        c.withCommand(args.toArray(String[]::new));
        nodeFiles().forEach((path, content) -> {
            Progress.info("writing " + path + " into the k3s node");
            c.withCopyToContainer(Transferable.of(content, 0644), path);
        });
        c.withStartupTimeout(START_TIMEOUT);
        switch (lifetime) {
            case RUN -> c.withLabel(LABEL, labelValue);
            case KEPT -> {
                TestcontainersReuse.ensureEnabled();
                // reuse only to escape the reaper; the run-unique label makes the reuse hash unique
                c.withReuse(true).withLabel(LABEL, labelValue).withLabel(LABEL + ".run", run.root().getFileName().toString());
            }
            case LONG_LIVED -> {
                TestcontainersReuse.ensureEnabled();
                c.withReuse(true).withLabel(LABEL, labelValue);
            }
        }
        return c;
    }

    private void start(K3sContainer container) {
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
            Progress.timed("starting k3s container (" + image + ", up to " + START_TIMEOUT.toSeconds() + "s)", () -> {
                container.start();
                return null;
            });
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw MeshproofException.environment("the k3s container did not start: " + TestcontainersDockerEngine.oneLine(root),
                    "k3s needs privileged containers and a writable /sys/fs/cgroup (rootless Docker and some Docker-in-Docker setups refuse them); rerun with --verbose",
                    e);
        } finally {
            ticker.shutdownNow();
        }
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

    static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    }
}
