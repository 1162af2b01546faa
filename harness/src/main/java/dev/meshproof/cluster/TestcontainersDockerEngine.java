package dev.meshproof.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Docker engine as Testcontainers finds it (DOCKER_HOST, /var/run/docker.sock, Testcontainers properties),
 * so the engine Meshproof checks is the one its k3s node containers will start on.
 * Every call is bounded: Testcontainers' own discovery can block for minutes in some setups (Testcontainers 2.0.5
 * inside a container, /.dockerenv present, starts alpine to find the gateway: an image pull), so the probe runs with
 * its own deadline.
 */
public final class TestcontainersDockerEngine implements DockerEngine {
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration probeTimeout;

    public TestcontainersDockerEngine() {
        this(DEFAULT_PROBE_TIMEOUT);
    }

    public TestcontainersDockerEngine(Duration probeTimeout) {
        this.probeTimeout = probeTimeout;
    }

    @Override
    public Status probe() {
        CompletableFuture<Status> probe = CompletableFuture.supplyAsync(this::probeUnbounded, daemonExecutor());
        try {
            return probe.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Status.unreachable(endpoint() + " did not answer within " + probeTimeout.toSeconds()
                    + "s (inside a container, set TESTCONTAINERS_HOST_OVERRIDE=localhost)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.unreachable("interrupted while probing " + endpoint());
        } catch (ExecutionException e) {
            return Status.unreachable(endpoint() + ": " + oneLine(e.getCause()));
        }
    }

    private Status probeUnbounded() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Status.unreachable(endpoint());
        }
        Info info = DockerClientFactory.instance().getInfo();
        String description = "Docker " + info.getServerVersion() + " (API " + DockerClientFactory.instance().getActiveApiVersion()
                + ", cgroup " + Objects.requireNonNullElse(info.getCGroupVersion(), "?") + ")";
        return new Status(true, description, "1".equals(info.getCGroupVersion()));
    }

    /** What Docker endpoint was looked for, for the "no Docker engine found (...)" line. */
    static String endpoint() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            return "DOCKER_HOST=" + dockerHost + " does not answer";
        }
        Path socket = Path.of("/var/run/docker.sock");
        return "DOCKER_HOST unset, " + socket + (Files.exists(socket) ? " does not answer" : " missing");
    }

    private static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public boolean hasImage(String image) {
        try {
            client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void save(String image, java.nio.file.Path tar) {
        DockerImageName name = DockerImageName.parse(image);
        try (java.io.InputStream in = client().saveImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).exec()) {
            java.nio.file.Files.copy(in, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot save " + image + " to " + tar, e);
        }
    }

    @Override
    public void pull(String image, Duration timeout) {
        DockerImageName name = DockerImageName.parse(image);
        PullImageCmd cmd = image.contains("@")
                ? client().pullImageCmd(image)
                : client().pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart());
        PullImageResultCallback callback = new PullImageResultCallback();
        try {
            cmd.exec(callback);
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PullFailed("no answer from the registry within " + timeout.toSeconds() + "s", null);
            }
            // errors in the pull stream surface from awaitCompletion; double-check the result all the same
            if (!hasImage(image)) {
                throw new PullFailed("the pull ended but the image is not in the engine", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullFailed("interrupted", e);
        } catch (PullFailed e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PullFailed(oneLine(e), e);
        } finally {
            closeQuietly(callback);
        }
    }

    @Override
    public List<ContainerSummary> containersLabelled(String key, String value) {
        List<Container> containers = client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(key, value)).exec();
        return containers.stream().map(TestcontainersDockerEngine::summary).toList();
    }

    private static ContainerSummary summary(Container c) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        Arrays.stream(Objects.requireNonNullElse(c.getPorts(), new ContainerPort[0]))
                .filter(p -> p.getPrivatePort() != null && p.getPublicPort() != null)
                .forEach(p -> ports.putIfAbsent(p.getPrivatePort(), p.getPublicPort()));
        return new ContainerSummary(c.getId(), c.getImage(), c.getState(),
                Objects.requireNonNullElse(c.getLabels(), Map.of()), ports);
    }

    @Override
    public void remove(String containerId) {
        client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    }

    @Override
    public String host() {
        return DockerClientFactory.instance().dockerHostIpAddress();
    }

    @Override
    public String network(String name, Map<String, String> labels) {
        List<Network> existing = client().listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName())).toList(); // the name filter matches substrings
        if (!existing.isEmpty()) {
            return existing.get(0).getId();
        }
        return client().createNetworkCmd().withName(name).withLabels(labels).withCheckDuplicate(true).exec().getId();
    }

    @Override
    public Map<String, String> networksLabelled(String key, String value) {
        Map<String, String> found = new LinkedHashMap<>();
        client().listNetworksCmd().withFilter("label", List.of(key + "=" + value)).exec()
                .forEach(n -> found.put(n.getId(), n.getName()));
        return found;
    }

    @Override
    public void removeNetwork(String id) {
        client().removeNetworkCmd(id).exec();
    }

    @Override
    public Optional<String> tryPrivileged(String image, Duration timeout) {
        String id;
        try {
            id = client().createContainerCmd(image)
                    .withEntrypoint("/bin/sh").withCmd("-c", "true")
                    .withLabels(Map.of(K3sClusterProvider.LABEL, "doctor"))
                    .withHostConfig(HostConfig.newHostConfig().withPrivileged(true).withCgroupnsMode("host")
                            .withBinds(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup"), AccessMode.rw)))
                    .exec().getId();
        } catch (RuntimeException e) {
            return Optional.of(oneLine(e));
        }
        try {
            client().startContainerCmd(id).exec();
            Integer code = client().waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code != null && code == 0 ? Optional.empty() : Optional.of("test container exited with " + code);
        } catch (RuntimeException e) {
            return Optional.of(oneLine(e));
        } finally {
            try {
                remove(id);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    /**
     * The engine's reason in one line: docker-java reports {@code Status 500: {"message":"..."}}; keep the message.
     */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String m = Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName()).strip();
        int json = m.indexOf('{');
        if (json >= 0) {
            try {
                JsonNode node = JSON.readTree(m.substring(json));
                if (node.hasNonNull("message")) {
                    m = node.get("message").asText();
                }
            } catch (IOException notJson) {
                // keep the raw text
            }
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static java.util.concurrent.Executor daemonExecutor() {
        return runnable -> {
            Thread t = new Thread(runnable, "meshproof-docker-probe");
            t.setDaemon(true);
            t.start();
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a finished pull stream; nothing to report
        }
    }
}
