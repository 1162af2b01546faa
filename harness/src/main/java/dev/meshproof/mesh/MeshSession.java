package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.diagnostics.DiagnosticsDump;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The mesh for as long as a scope lives, the one way {@code run} and {@code bench} (cluster mode) set it up:
 * registers its removal from a user's cluster, installs it, and writes the diagnostics dump before rethrowing a
 * failed install (so the dump sees the cluster before the scope's cleanups run).
 */
public final class MeshSession {

    /** Runs a named step and returns its result: {@code Progress::timed}, or a run report's {@code step}. */
    public interface Steps {
        <T> T run(String name, Supplier<T> body);
    }

    private MeshSession() {
    }

    /**
     * Installs the mesh as the step "install Istio &lt;version&gt; (&lt;mode&gt;)"; if that fails, runs the step
     * "collect diagnostics" (the dump of {@link #dumpAfterFailedInstall}) and rethrows the install's failure.
     *
     * @param usersCluster register the uninstall in {@code scope}, before installing, so that even a partial install
     *                     is removed: a user's cluster is left as found (a k3s container is simply removed, so
     *                     uninstalling first would only cost time)
     */
    public static void install(Cluster cluster, MeshInstaller installer, RunDirectory run, Scope scope, boolean usersCluster, Steps steps) {
        if (usersCluster) {
            scope.onClose("uninstall Istio", installer::uninstall);
        }
        try {
            steps.run("install Istio " + installer.plan().istioVersion() + " (" + installer.plan().mode().flag() + ")", () -> {
                installer.install();
                return null;
            });
        } catch (RuntimeException e) {
            steps.run("collect diagnostics", () -> dumpAfterFailedInstall(cluster, run, installer));
            throw e;
        }
    }

    /**
     * The dump after a failed install (or uninstall): the mesh's namespace and every enrolled namespace, plus the
     * manifests the installer applied. Returns the dump's directory.
     */
    public static Path dumpAfterFailedInstall(Cluster cluster, RunDirectory run, MeshInstaller installer) {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(installer.plan().namespace());
        try {
            namespaces.addAll(new Enrollment(cluster.client()).enrolledNamespaces());
        } catch (RuntimeException e) {
            Progress.info("cannot list enrolled namespaces for diagnostics: " + e.getMessage());
        }
        return DiagnosticsDump.defaults(cluster.client()).collect(run, namespaces, installer.appliedManifests());
    }
}
