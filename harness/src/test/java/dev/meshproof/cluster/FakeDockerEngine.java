package dev.meshproof.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A Docker engine the test scripts: reachable or not, which images exist, how a pull ends. Records the calls. */
public final class FakeDockerEngine implements DockerEngine {
    private final Status status;
    private final Set<String> images = new HashSet<>();
    private String pullFailure;
    private String privilegedRefusal;
    private final List<ContainerSummary> containers = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();

    private FakeDockerEngine(Status status) {
        this.status = status;
    }

    public static FakeDockerEngine unreachable() {
        return new FakeDockerEngine(Status.unreachable("DOCKER_HOST unset, /var/run/docker.sock missing"));
    }

    public static FakeDockerEngine reachable(boolean cgroupV1) {
        return new FakeDockerEngine(new Status(true, "Docker 99.0 (API 1.99, cgroup " + (cgroupV1 ? 1 : 2) + ")", cgroupV1));
    }

    public FakeDockerEngine withImage(String image) {
        images.add(image);
        return this;
    }

    /** Every pull fails with this engine message (as a registry-less engine answers). */
    public FakeDockerEngine pullFails(String message) {
        this.pullFailure = message;
        return this;
    }

    /** Privileged containers are refused with this engine message (rootless Docker, restricted nesting). */
    public FakeDockerEngine refusesPrivileged(String message) {
        this.privilegedRefusal = message;
        return this;
    }

    public FakeDockerEngine withContainer(String id, String state, String labelValue, int apiPort) {
        containers.add(new ContainerSummary(id, "rancher/k3s:v1.34.6-k3s1", state,
                Map.of(K3sClusterProvider.LABEL, labelValue), Map.of(6443, apiPort)));
        return this;
    }

    @Override
    public Status probe() {
        calls.add("probe");
        return status;
    }

    @Override
    public boolean hasImage(String image) {
        calls.add("hasImage " + image);
        return images.contains(image);
    }

    @Override
    public void pull(String image, Duration timeout) {
        calls.add("pull " + image + " " + timeout.toSeconds() + "s");
        if (pullFailure != null) {
            throw new PullFailed(pullFailure, null);
        }
        images.add(image);
    }

    /** Writes a docker-save-shaped tar naming the image (no layers). */
    @Override
    public void save(String image, java.nio.file.Path tar) {
        calls.add("save " + image);
        try {
            ImageTarFiles.dockerSave(tar, image);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public List<ContainerSummary> containersLabelled(String key, String value) {
        calls.add("list " + key + "=" + value);
        return containers.stream().filter(c -> value.equals(c.labels().get(key))).toList();
    }

    @Override
    public Optional<String> tryPrivileged(String image, Duration timeout) {
        calls.add("tryPrivileged " + image);
        return Optional.ofNullable(privilegedRefusal);
    }

    @Override
    public void remove(String containerId) {
        calls.add("remove " + containerId);
        containers.removeIf(c -> c.id().equals(containerId));
    }

    /** A k3s node container of a multi-node cluster: its node name and role labels as the provider sets them. */
    public FakeDockerEngine withNode(String id, String state, String labelValue, String node, String role) {
        containers.add(new ContainerSummary(id, "rancher/k3s:v1.34.6-k3s1", state,
                Map.of(K3sClusterProvider.LABEL, labelValue, K3sClusterProvider.NODE_LABEL, node, K3sNodeContainers.ROLE_LABEL, role),
                role.equals("server") ? Map.of(6443, 41234) : Map.of()));
        return this;
    }

    /** A network labelled {@code dev.meshproof.cluster=labelValue}. */
    public FakeDockerEngine withNetwork(String id, String name, String labelValue) {
        networks.put(id, new Net(name, Map.of(K3sClusterProvider.LABEL, labelValue)));
        return this;
    }

    private record Net(String name, Map<String, String> labels) {
    }

    private final Map<String, Net> networks = new java.util.LinkedHashMap<>();

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public String network(String name, Map<String, String> labels) {
        calls.add("network " + name);
        return networks.entrySet().stream().filter(e -> e.getValue().name().equals(name)).map(Map.Entry::getKey).findFirst()
                .orElseGet(() -> {
                    String id = "net-" + (networks.size() + 1);
                    networks.put(id, new Net(name, labels));
                    return id;
                });
    }

    @Override
    public Map<String, String> networksLabelled(String key, String value) {
        calls.add("networks " + key + "=" + value);
        Map<String, String> found = new java.util.LinkedHashMap<>();
        networks.forEach((id, n) -> {
            if (value.equals(n.labels().get(key))) {
                found.put(id, n.name());
            }
        });
        return found;
    }

    @Override
    public void removeNetwork(String id) {
        calls.add("remove network " + id);
        networks.remove(id);
    }
}
