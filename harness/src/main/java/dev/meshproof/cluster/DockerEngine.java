package dev.meshproof.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker engine the k3s provider, {@code cluster up|down|status} and {@code doctor} talk to.
 * An interface so tests can play "no engine" and "registry unreachable" deterministically on any machine;
 * the real one is {@link TestcontainersDockerEngine} (the same engine Testcontainers starts k3s on).
 */
public interface DockerEngine {

    /** Whether an engine answers; never hangs longer than the implementation's bound. */
    Status probe();

    /** Whether the image is in the engine's local store (no network). */
    boolean hasImage(String image);

    /**
     * Pulls the image, giving up after {@code timeout}.
     *
     * @throws PullFailed with the engine's reason in one line
     */
    void pull(String image, Duration timeout);

    /**
     * Writes {@code image} from the engine's local store to {@code tar} in {@code docker save} format (for
     * {@code --preload docker}); nothing is pulled.
     */
    default void save(String image, java.nio.file.Path tar) {
        throw new UnsupportedOperationException("this Docker engine cannot save images");
    }

    /** Containers (running or not) carrying the label {@code key=value}. */
    List<ContainerSummary> containersLabelled(String key, String value);

    /** Force-removes a container and its anonymous volumes. */
    void remove(String containerId);

    /** The host the engine publishes container ports on (Testcontainers' {@code getHost()}): the API server's address. */
    String host();

    /**
     * The id of the network {@code name}, created with {@code labels} when there is none. Not left to Testcontainers'
     * reaper, so it outlives this process: for a cluster that does ({@code --keep}, {@code cluster up}).
     */
    String network(String name, Map<String, String> labels);

    /** Networks carrying the label {@code key=value}: id to name. */
    Map<String, String> networksLabelled(String key, String value);

    /** Removes a network; Docker refuses while a container is attached. */
    void removeNetwork(String id);

    /**
     * Runs {@code /bin/sh -c true} in {@code image} the way K3sContainer runs k3s (privileged, host cgroup namespace,
     * {@code /sys/fs/cgroup} bound read-write), removes it, and returns the engine's refusal if there was one.
     */
    Optional<String> tryPrivileged(String image, Duration timeout);

    /**
     * @param reachable   whether the engine answered
     * @param description "Docker 20.10.24 (API 1.41) at unix:///var/run/docker.sock" or, when unreachable, what was tried
     * @param cgroupV1    the engine's host runs cgroup v1 (k3s >= 1.35 then needs fail-cgroupv1=false)
     */
    record Status(boolean reachable, String description, boolean cgroupV1) {
        public static Status unreachable(String what) {
            return new Status(false, what, false);
        }
    }

    record ContainerSummary(String id, String image, String state, Map<String, String> labels, Map<Integer, Integer> publishedPorts) {
        public String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }
    }

    /** An image pull that failed or timed out; the message is one line naming the image and the reason. */
    final class PullFailed extends RuntimeException {
        public PullFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
