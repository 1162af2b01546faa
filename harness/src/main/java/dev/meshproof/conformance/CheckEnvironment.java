package dev.meshproof.conformance;

import dev.meshproof.mesh.MeshMode;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every check of a run shares: the cluster, what is installed on it, where evidence goes, the timeouts, and
 * the mesh access (live or scripted). {@code meshproof run} installs one for the duration of the launcher run
 * ({@link #use}); a check started any other way (an IDE, Maven) without one is skipped with one line saying how to
 * give it one.
 *
 * @param plan       check id → the data planes to run it in (what selection and the install allow)
 * @param onFailure  writes the diagnostics of a failed check's namespaces (and the mesh's) into a directory
 * @param scope      the run's scope: each check's cleanups run in a child of it, before the run's own (the client, the cluster)
 */
public record CheckEnvironment(KubernetesClient client, MeshMode meshMode, String istioVersion, String agentImage,
                               Path runRoot, String runId, Timeouts timeouts, MeshAccess mesh,
                               Map<String, List<DataPlane>> plan, FailureDump onFailure, dev.meshproof.core.Scope scope) {

    /** Writes a bounded diagnostics dump of {@code namespaces} into {@code dir}/diagnostics/. */
    @FunctionalInterface
    public interface FailureDump {
        void write(Collection<String> namespaces, Path dir);
    }

    private static final AtomicReference<CheckEnvironment> CURRENT = new AtomicReference<>();

    /** Makes {@code env} the environment of every check started until the returned handle is closed. */
    public static AutoCloseable use(CheckEnvironment env) {
        if (!CURRENT.compareAndSet(null, env)) {
            throw new IllegalStateException("a conformance run is already in progress in this JVM");
        }
        return () -> CURRENT.set(null);
    }

    public static Optional<CheckEnvironment> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The data planes {@code checkId} runs in: as planned, or every one the install provides that it supports. */
    public List<DataPlane> dataPlanesFor(String checkId, DataPlane[] supported) {
        List<DataPlane> planned = plan.get(checkId);
        if (planned != null) {
            return planned;
        }
        return DataPlane.providedBy(meshMode).stream().filter(d -> List.of(supported).contains(d)).toList();
    }
}
