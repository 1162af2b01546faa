package dev.meshproof.e2e;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.ImageAvailability;
import dev.meshproof.cluster.K3sClusterProvider;
import dev.meshproof.cluster.KubeconfigClusterProvider;
import dev.meshproof.cluster.TestcontainersDockerEngine;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Scope;
import dev.meshproof.core.Versions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The live-cluster tier: gives {@code @Tag("e2e")} tests a running {@link Cluster} parameter.
 *
 * <pre>{@code
 * @Tag("e2e")
 * @ExtendWith(LiveCluster.class)
 * class AmbientInstallE2ETest {
 *     @Test
 *     void installs(Cluster cluster) { ... cluster.client() ... }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Selection.</b> Runs only under {@code ./mvnw verify -Pe2e} (system property {@code meshproof.e2e=true});
 *       otherwise the tests are disabled with "e2e: not selected (run with -Pe2e)".</li>
 *   <li><b>Which cluster.</b> {@code MESHPROOF_KUBECONFIG} (and optionally {@code MESHPROOF_CONTEXT}) set: that cluster.
 *       Otherwise k3s in Docker through {@link K3sClusterProvider}, image from the versions file or
 *       {@code MESHPROOF_K3S_IMAGE}.</li>
 *   <li><b>Skips, never fake passes.</b> No Docker engine, or the k3s image neither present nor pullable within
 *       {@code MESHPROOF_PULL_TIMEOUT} seconds (default 60): every test using it is skipped with one line, e.g.
 *       "e2e: no Docker engine (…)" or "e2e: cannot pull rancher/k3s:v1.34.6-k3s1 (…)". A cluster you named with
 *       MESHPROOF_KUBECONFIG that does not answer is an error, not a skip: you asked for it.</li>
 *   <li><b>Lifetime.</b> Started once per test run (JUnit root store), shared by every test class, closed when the run
 *       ends (the k3s container is removed). Its kubeconfig is {@code target/e2e-cluster/kubeconfig.yaml} (0600).</li>
 * </ul>
 * Tests must not assume they own the whole cluster: create your own namespaces and delete them.
 */
public final class LiveCluster implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LiveCluster.class);
    private static final java.util.Set<String> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Surefire does not print skip reasons; say each one once on the console, as one line. */
    static String announce(String reason) {
        if (ANNOUNCED.add(reason)) {
            System.err.println("[live tier skipped] " + reason);
        }
        return reason;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return selection();
    }

    private static ConditionEvaluationResult selection() {
        return Boolean.getBoolean("meshproof.e2e")
                ? ConditionEvaluationResult.enabled("e2e selected")
                : ConditionEvaluationResult.disabled(announce("e2e: not selected (run with -Pe2e)"));
    }

    /**
     * Only the selection, for live tests that start a k3s of their own ({@link MultiNodeK3sE2ETest}) and must not
     * start the shared one; they skip as the shared one does, with {@link #k3sUnavailable}.
     */
    public static final class Selected implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return selection();
        }
    }

    /** The k3s image of the live tier: {@code MESHPROOF_K3S_IMAGE}, else the pinned one. */
    static String k3sImage() {
        return env("MESHPROOF_K3S_IMAGE", Versions.defaults().k3s().image());
    }

    /** {@code MESHPROOF_PULL_TIMEOUT} seconds, default 60. */
    static Duration pullTimeout() {
        return Duration.ofSeconds(Long.parseLong(env("MESHPROOF_PULL_TIMEOUT", "60")));
    }

    /** Why k3s cannot start here, as one skip line ("e2e: no Docker engine (…)", "e2e: cannot pull …"); empty when it can. */
    static java.util.Optional<String> k3sUnavailable(DockerEngine docker, String image, Duration pullTimeout) {
        DockerEngine.Status engine = docker.probe();
        if (!engine.reachable()) {
            return java.util.Optional.of("e2e: no Docker engine (" + engine.description() + ")");
        }
        ImageAvailability.Result available = new ImageAvailability(docker, pullTimeout).check(image);
        return available.available() ? java.util.Optional.empty() : java.util.Optional.of("e2e: " + available.detail());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        session(context).requireCluster();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return session(context).requireCluster();
    }

    private static Session session(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Session.class, k -> Session.start(), Session.class);
    }

    /** The one cluster of this test run, or why there is none. Closed by JUnit with the root store. */
    static final class Session implements AutoCloseable {
        private final Scope scope;
        private final Cluster cluster;
        private final String skipReason;

        private Session(Scope scope, Cluster cluster, String skipReason) {
            this.scope = scope;
            this.cluster = cluster;
            this.skipReason = skipReason;
        }

        Cluster requireCluster() {
            if (cluster == null) {
                throw new TestAbortedException(announce(skipReason));
            }
            return cluster;
        }

        static Session start() {
            RunDirectory run = RunDirectory.at(Path.of("target", "e2e-cluster"));
            Scope scope = new Scope("e2e");
            try {
                String kubeconfig = System.getenv("MESHPROOF_KUBECONFIG");
                if (kubeconfig != null && !kubeconfig.isBlank()) {
                    return new Session(scope, new KubeconfigClusterProvider(Path.of(kubeconfig), System.getenv("MESHPROOF_CONTEXT"))
                            .provision(run, scope), null);
                }
                String image = k3sImage();
                Duration pullTimeout = pullTimeout();
                DockerEngine docker = new TestcontainersDockerEngine();
                java.util.Optional<String> unavailable = k3sUnavailable(docker, image, pullTimeout);
                if (unavailable.isPresent()) {
                    return skipped(scope, unavailable.get());
                }
                return new Session(scope, new K3sClusterProvider(image, docker, pullTimeout, K3sClusterProvider.Lifetime.RUN, "e2e")
                        .provision(run, scope), null);
            } catch (RuntimeException e) {
                scope.close();
                throw e;
            }
        }

        private static Session skipped(Scope scope, String reason) {
            scope.close();
            return new Session(scope, null, reason);
        }

        @Override
        public void close() {
            scope.close(); // stops the k3s container (the cluster's close is registered in the scope)
        }
    }
}
