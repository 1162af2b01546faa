package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one install orchestration of run and bench, with a scripted installer on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class MeshSessionTest {
    KubernetesClient client;

    @TempDir
    Path tmp;

    /** Records the steps' names, in order, and runs them. */
    static final class RecordedSteps implements MeshSession.Steps {
        final List<String> names = new ArrayList<>();

        @Override
        public <T> T run(String name, Supplier<T> body) {
            names.add(name);
            return body.get();
        }
    }

    /** An installer whose install fails (or not) and which counts its uninstalls. */
    static final class ScriptedInstaller implements MeshInstaller {
        final RuntimeException failure;
        int installs;
        int uninstalls;

        ScriptedInstaller(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public InstallPlan plan() {
            return IstioPlanner.plan(MeshMode.AMBIENT, Cluster.Platform.K3S, Optional.empty(), Versions.defaults(), MeshValues.none());
        }

        @Override
        public void install() {
            installs++;
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void uninstall() {
            uninstalls++;
        }

        @Override
        public List<Path> appliedManifests() {
            return List.of();
        }
    }

    private Cluster cluster() {
        return new Cluster() {
            public String description() {
                return "mock";
            }

            public KubernetesClient client() {
                return client;
            }

            public Path kubeconfig() {
                return tmp.resolve("kubeconfig");
            }

            public Platform platform() {
                return Platform.K3S;
            }

            public void close() {
            }
        };
    }

    @Test
    void failedInstallIsDumpedThenRethrownAndTheUsersClusterIsLeftAsFound() {
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        MeshproofException failure = MeshproofException.environment("timed out", null, null);
        ScriptedInstaller installer = new ScriptedInstaller(failure);
        RecordedSteps steps = new RecordedSteps();
        try (Scope scope = new Scope("t")) {
            assertThatThrownBy(() -> MeshSession.install(cluster(), installer, run, scope, true, steps)).isSameAs(failure);
            assertThat(steps.names).containsExactly("install Istio " + installer.plan().istioVersion() + " (ambient)", "collect diagnostics");
            assertThat(run.resolve("diagnostics/index.txt")).content().contains("# namespaces: istio-system");
            assertThat(installer.uninstalls).as("not before the scope closes").isZero();
        }
        assertThat(installer.uninstalls).isEqualTo(1);
    }

    @Test
    void successfulInstallOnAThrowAwayClusterRegistersNoUninstall() {
        RunDirectory run = RunDirectory.at(tmp.resolve("run"));
        ScriptedInstaller installer = new ScriptedInstaller(null);
        RecordedSteps steps = new RecordedSteps();
        try (Scope scope = new Scope("t")) {
            MeshSession.install(cluster(), installer, run, scope, false, steps);
            assertThat(scope.pending()).isZero();
        }
        assertThat(installer.installs).isEqualTo(1);
        assertThat(installer.uninstalls).isZero();
        assertThat(steps.names).containsExactly("install Istio " + installer.plan().istioVersion() + " (ambient)");
        assertThat(run.resolve("diagnostics")).doesNotExist();
    }
}
