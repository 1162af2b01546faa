package dev.meshproof.mesh;

import com.sun.net.httpserver.HttpServer;
import dev.meshproof.core.Versions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real release inputs a live install uses — Istio 1.29.6's chart repository (index.yaml + archives, stamped as
 * the release process stamps them) and the Gateway API v1.4.1 standard CRDs — from {@code <repo root>/../shared/upstream}
 * (its README says where each file comes from), served over HTTP from 127.0.0.1 so that the real repository client
 * (index, digest check, cache) runs against them. A JUnit extension: a test class using it gets an
 * {@code UpstreamRelease} parameter, one server per test; when the folder is absent every test of the class is
 * skipped and the reason is printed once, as one line.
 */
public final class UpstreamRelease implements ExecutionCondition, ParameterResolver, AutoCloseable {
    /** The chart repository's path on the server, as in the folder. */
    public static final String CHARTS_PATH = "/istio-1.29.6/charts";
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final HttpServer server;
    private final Path dir;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, byte[]> replaced = new ConcurrentHashMap<>();

    /** For JUnit's {@code @ExtendWith}; the instance that serves is made per class by {@link #resolveParameter}. */
    public UpstreamRelease() {
        this.server = null;
        this.dir = null;
    }

    private UpstreamRelease(Path dir) {
        this.dir = dir;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            Path file = dir.resolve(path.substring(1)).normalize();
            byte[] replacement = replaced.get(path);
            boolean ok = replacement != null || file.startsWith(dir) && Files.isRegularFile(file);
            byte[] body = replacement != null ? replacement : ok ? Files.readAllBytes(file) : new byte[0];
            exchange.sendResponseHeaders(ok ? 200 : 404, ok ? body.length : -1);
            if (ok) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** {@code <repo root>/../shared/upstream}; the repo root is the system property surefire sets. */
    public static Path folder() {
        return folder(Path.of(System.getProperty("meshproof.repo.root", "..")));
    }

    static Path folder(Path repoRoot) {
        return repoRoot.toAbsolutePath().normalize().resolve("../shared/upstream").normalize();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return condition(folder());
    }

    /** Enabled when {@code folder} holds the chart repository index; else disabled with one line, printed once. */
    static ConditionEvaluationResult condition(Path folder) {
        if (Files.isRegularFile(folder.resolve(CHARTS_PATH.substring(1)).resolve("index.yaml"))) {
            return ConditionEvaluationResult.enabled("upstream release inputs in " + folder);
        }
        String reason = "upstream: real Istio charts not found at " + folder + " (the real-chart tests need ../shared/upstream, see its README)";
        if (ANNOUNCED.add(reason)) {
            System.err.println("[upstream skipped] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == UpstreamRelease.class;
    }

    /** One server per test (or per class, for a {@code @BeforeAll} parameter), stopped when it ends. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(UpstreamRelease.class))
                .computeIfAbsent(UpstreamRelease.class, k -> new UpstreamRelease(folder()), UpstreamRelease.class);
    }

    /** http://127.0.0.1:PORT */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The Istio chart repository URL on the loopback server. */
    public String chartRepository() {
        return baseUrl() + CHARTS_PATH;
    }

    /** The chart repository folder on disk (also a complete {@code --charts-dir}, see the README). */
    public Path chartsDir() {
        return dir.resolve(CHARTS_PATH.substring(1));
    }

    /**
     * The pinned versions (versions.yaml), with only the two download locations moved to the loopback server:
     * the Istio version, hub and Gateway API version stay what a live install uses.
     */
    public Versions versions() {
        Versions pinned = Versions.defaults();
        return new Versions(new Versions.Istio(pinned.istio().version(), pinned.istio().hub(), chartRepository()),
                new Versions.GatewayApi(pinned.gatewayApi().version(), pinned.gatewayApi().channel(),
                        baseUrl() + "/gateway-api-{version}/{channel}-install.yaml"),
                pinned.k3s());
    }

    /** Serves {@code body} at {@code path} instead of the file (a proxy or mirror that serves something else). */
    public void serveInstead(String path, byte[] body) {
        replaced.put(path, body);
    }

    /** Paths requested so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
