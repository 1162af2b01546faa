package dev.meshproof.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshproof.core.Executables;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A real browser for the tests of the HTML report: Debian's {@code chromium}, headless, driven over the Chrome DevTools
 * Protocol (chromedevtools.github.io/devtools-protocol: Target.attachToTarget with flatten, Page.navigate,
 * Page.loadEventFired, Network.requestWillBeSent, Runtime.evaluate) with the JDK's WebSocket client. It reports what
 * the page rendered (layout-aware text and visibility) and every request the page made, as the browser saw them.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final String session;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

    /**
     * What a page load gave.
     *
     * @param requests  the URL of every request the page started (Network.requestWillBeSent)
     * @param blocked   URL → the reason the browser blocked it before it left (Network.loadingFailed's blockedReason, e.g. csp)
     * @param evaluated the expression's value
     */
    record Load(List<String> requests, Map<String, String> blocked, JsonNode evaluated) {
        /** The requests that were not blocked: what left the page. */
        List<String> sent() {
            return requests.stream().filter(u -> !blocked.containsKey(u)).toList();
        }
    }

    /** The first of chromium, chromium-browser, google-chrome(-stable) on PATH. */
    static Optional<Path> find() {
        return NAMES.stream().map(Executables::onPath).flatMap(Optional::stream).findFirst();
    }

    /** Starts {@code browser} headless with a fresh profile in {@code profile}, on about:blank. */
    HeadlessChromium(Path browser, Path profile) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(browser.toString(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile());
        pb.environment().put("DBUS_SESSION_BUS_ADDRESS", "disabled:"); // no session bus in CI; chromium waits on it otherwise
        process = pb.start();
        try {
            // chromium writes the port and the browser target's path here once DevTools listens
            Path active = profile.resolve("DevToolsActivePort");
            await("chromium's DevTools endpoint").atMost(BOUND).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || Files.exists(active) && Files.readAllLines(active).size() >= 2);
            if (!process.isAlive()) {
                throw new IllegalStateException(browser + " exited " + process.exitValue() + " at start; see its log next to " + profile);
            }
            List<String> lines = Files.readAllLines(active);
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + lines.get(0) + lines.get(1)), new Listener())
                    .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            String target = pageTarget();
            session = send(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target).put("flatten", true)).path("sessionId").asText();
            send(session, "Page.enable", JSON.createObjectNode());
            send(session, "Network.enable", JSON.createObjectNode());
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot drive " + browser + ": " + e, e);
        }
    }

    private String pageTarget() throws Exception {
        for (JsonNode t : send(null, "Target.getTargets", JSON.createObjectNode()).path("targetInfos")) {
            if ("page".equals(t.path("type").asText())) {
                return t.path("targetId").asText();
            }
        }
        throw new IllegalStateException("chromium has no page target");
    }

    /**
     * The events received from index {@code from} on, copied: a subList view of the live list fails
     * (ConcurrentModificationException) when the browser's next event arrives while it is read.
     */
    private List<JsonNode> since(int from) {
        List<JsonNode> all = List.copyOf(events);
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** Loads {@code url}, waits for its load event, then evaluates {@code expression} (returned by value). */
    Load load(String url, String expression) throws Exception {
        int from = events.size();
        send(session, "Page.navigate", JSON.createObjectNode().put("url", url));
        await("the load event of " + url).atMost(BOUND).pollInterval(Duration.ofMillis(20))
                .until(() -> since(from).stream().anyMatch(e -> "Page.loadEventFired".equals(e.path("method").asText())));
        JsonNode result = send(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        List<String> requests = new ArrayList<>();
        Map<String, String> urls = new java.util.HashMap<>();
        Map<String, String> blocked = new java.util.LinkedHashMap<>();
        for (JsonNode e : since(from)) {
            JsonNode p = e.path("params");
            switch (e.path("method").asText()) {
                case "Network.requestWillBeSent" -> {
                    requests.add(p.path("request").path("url").asText());
                    urls.put(p.path("requestId").asText(), p.path("request").path("url").asText());
                }
                case "Network.loadingFailed" -> {
                    if (p.hasNonNull("blockedReason")) {
                        blocked.put(urls.get(p.path("requestId").asText()), p.path("blockedReason").asText());
                    }
                }
                default -> {
                }
            }
        }
        return new Load(requests, blocked, result.path("result").path("value"));
    }

    private JsonNode send(String sessionId, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /** Closes the browser (Browser.close), and kills whatever of it (it, its zygote and renderers) still runs after the bound. */
    @Override
    public void close() {
        started.addAll(process.descendants().toList());
        try {
            if (socket != null) {
                send(null, "Browser.close", JSON.createObjectNode());
            }
        } catch (Exception e) {
            // killed below
        }
        try {
            if (!process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            for (ProcessHandle child : started) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(BOUND.toSeconds(), TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a chromium process did not end", e);
        }
    }

    /** Whether the browser and every process it had started when it was closed have ended. */
    boolean leftNothingRunning() {
        return !process.isAlive() && !started.isEmpty() && started.stream().noneMatch(ProcessHandle::isAlive);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        events.add(msg);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
