package dev.meshproof.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshproof.agent.EchoReply;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.LogCapture;
import dev.meshproof.evidence.MetricsScrape;
import dev.meshproof.evidence.Probe;
import dev.meshproof.evidence.StepRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: builds an {@link Evidence} in code around the real upstream samples (loaded verbatim from the
 * classpath, {@code /upstream/…}). Probes' responses are JSON trees made from the agent's own types with the agent's
 * mapper ({@code Json.MAPPER.valueToTree}), exactly as the check engine records them.
 */
public final class EvidenceBuilder {
    /** The check's start; probes and steps are placed relative to it. */
    public static final Instant T0 = Instant.parse("2024-05-04T10:00:00Z");
    public static final String ZTUNNEL = "istio-system/ztunnel-7xk2p";

    private String check = "test-check";
    private String dataPlane = "ambient";
    private final Map<String, CheckFacts.NamespaceFact> namespaces = new LinkedHashMap<>();
    private final Map<String, CheckFacts.WorkloadFact> workloads = new LinkedHashMap<>();
    private final List<String> manifests = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<MetricsScrape> scrapes = new ArrayList<>();
    private final List<LogCapture> logs = new ArrayList<>();
    private final Map<String, String> collected = new LinkedHashMap<>();
    private int seq;

    private EvidenceBuilder() {
    }

    public static EvidenceBuilder evidence() {
        return new EvidenceBuilder();
    }

    // ---- facts ----

    public EvidenceBuilder check(String id) {
        this.check = id;
        return this;
    }

    public EvidenceBuilder dataPlane(String value) {
        this.dataPlane = value;
        return this;
    }

    public EvidenceBuilder namespace(String role, String name, boolean enrolled) {
        namespaces.put(role, new CheckFacts.NamespaceFact(name, enrolled));
        return this;
    }

    /** A workload {@code name} in {@code namespace} running as {@code serviceAccount} (trust domain cluster.local). */
    public EvidenceBuilder workload(String name, String namespace, String serviceAccount, CheckFacts.PodFact... pods) {
        workloads.put(name, new CheckFacts.WorkloadFact(namespace, serviceAccount,
                "spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount, List.of(pods)));
        namespaces.putIfAbsent(name, new CheckFacts.NamespaceFact(namespace, true));
        return this;
    }

    public static CheckFacts.PodFact pod(String name, String ip) {
        return new CheckFacts.PodFact(name, "node-1", ip);
    }

    public CheckFacts facts() {
        return new CheckFacts(check, dataPlane, dataPlane, "1.29.6", Map.copyOf(namespaces), Map.copyOf(workloads), T0);
    }

    // ---- what was recorded ----

    public EvidenceBuilder manifest(String name) {
        manifests.add(name);
        return this;
    }

    /** A probe of {@code step} at {@code T0 + atMs}, phase {@code converge}, from {@code default/client}. */
    public EvidenceBuilder probe(String step, long atMs, CallResult... results) {
        return probe(step, Probe.CONVERGE, atMs, response(results));
    }

    public EvidenceBuilder probe(String step, String phase, long atMs, CallResponse response) {
        return probe(step, phase, "default/client", "http://echo.default:8080/echo", atMs, response);
    }

    public EvidenceBuilder probe(String step, String phase, String client, String url, long atMs, CallResponse response) {
        seq++;
        probes.add(new Probe(seq, step, phase, client, T0.plusMillis(atMs),
                CallRequest.to(url).withCount(Math.max(1, response.results().size())).withNewConnectionPerCall(true), tree(response)));
        return this;
    }

    /** A step driven towards the default target ({@code http://echo.default:8080/echo}) from {@code T0 + startMs} to {@code T0 + endMs}. */
    public EvidenceBuilder step(String step, long startMs, long endMs, long convergeMs, long holdMs) {
        return step(step, "http://echo.default:8080/echo", startMs, endMs, convergeMs, holdMs);
    }

    /** A step driven towards {@code target} (one record per target, as the check engine writes them). */
    public EvidenceBuilder step(String step, String target, long startMs, long endMs, long convergeMs, long holdMs) {
        steps.add(new StepRecord(step, target, T0.plusMillis(startMs), T0.plusMillis(endMs), convergeMs, holdMs));
        return this;
    }

    public EvidenceBuilder scrape(String label, String pod, String text) {
        scrapes.add(new MetricsScrape(label, pod, "node-1", text));
        return this;
    }

    public EvidenceBuilder log(String pod, String text) {
        logs.add(new LogCapture(pod, text));
        return this;
    }

    /** A probe of {@code step} that sent {@code request} (method, headers) and got {@code response}. */
    public EvidenceBuilder probe(String step, CallRequest request, CallResponse response) {
        seq++;
        probes.add(new Probe(seq, step, Probe.ONCE, "default/client", T0.plusMillis(seq), request, tree(response)));
        return this;
    }

    /** What a check collected as {@code name} (e.g. a collector's spans). */
    public EvidenceBuilder collected(String name, String body) {
        collected.put(name, body);
        return this;
    }

    public Evidence build() {
        return new Evidence(facts(), manifests, probes, steps, scrapes, logs, List.of(), collected);
    }

    // ---- the agent's types ----

    /** A call-API response as the agent builds it: results in order, summary of outcomes that occurred. */
    public static CallResponse response(CallResult... results) {
        Map<Outcome, Integer> summary = new EnumMap<>(Outcome.class);
        long elapsed = 0;
        for (CallResult r : results) {
            summary.merge(r.outcome(), 1, Integer::sum);
            elapsed += r.latencyMicros();
        }
        return new CallResponse(List.of(results), summary, elapsed);
    }

    /** The response as the evidence stores it: the agent mapper's JSON tree. */
    public static JsonNode tree(CallResponse response) {
        return Json.MAPPER.valueToTree(response);
    }

    public static EchoReply echo(String pod, String namespace, String serviceAccount) {
        return echo(pod, namespace, serviceAccount, Map.of());
    }

    public static EchoReply echo(String pod, String namespace, String serviceAccount, Map<String, List<String>> headers) {
        return new EchoReply("GET", "/echo", null, "HTTP/1.1", headers, pod, namespace, serviceAccount, "v1",
                "10.244.1.12", 58508, null);
    }

    /** HTTP 200 answered by the echo server. */
    public static CallResult ok(EchoReply echo) {
        return new CallResult(Outcome.OK, 200, 1200, echo, null, null, null);
    }

    /** The TCP echo's reply line. */
    public static CallResult tcpOk(String reply) {
        return new CallResult(Outcome.OK, null, 900, null, null, reply, null);
    }

    public static CallResult reset() {
        return new CallResult(Outcome.RESET, null, 800, null, null, null, "java.net.SocketException: Connection reset");
    }

    public static CallResult closed() {
        return new CallResult(Outcome.CLOSED, null, 700, null, null, null, "java.io.EOFException: connection closed before a complete reply");
    }

    public static CallResult timeout() {
        return new CallResult(Outcome.TIMEOUT, null, 5_000_000, null, null, null, "java.net.http.HttpTimeoutException: request timed out");
    }

    public static CallResult refused() {
        return new CallResult(Outcome.REFUSED, null, 300, null, null, null, "java.net.ConnectException: Connection refused");
    }

    /** An HTTP error status with a body not from an echo server (a proxy's local reply). */
    public static CallResult httpError(int status, String body) {
        return new CallResult(Outcome.HTTP_ERROR, status, 1500, null, body, null, null);
    }

    /** An HTTP error status that the echo server itself answered. */
    public static CallResult httpErrorFromServer(int status, EchoReply echo) {
        return new CallResult(Outcome.HTTP_ERROR, status, 1500, echo, null, null, null);
    }

    // ---- upstream samples ----

    /** The upstream sample {@code file} from {@code /upstream/}, byte for byte (UTF-8). */
    public static String upstream(String file) {
        try (InputStream in = EvidenceBuilder.class.getResourceAsStream("/upstream/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no /upstream/" + file + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Line {@code n} (1-based) of the upstream sample {@code file}, without its line break. */
    public static String upstreamLine(String file, int n) {
        return upstream(file).split("\n", -1)[n - 1];
    }

    /**
     * A minimal textual edit of a real sample: every occurrence of {@code from} replaced by {@code to}. The edit
     * must change something (an edit that silently matched nothing would make a failing-variant test vacuous).
     */
    public static String edit(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalArgumentException("the sample does not contain '" + from + "': the edit would change nothing");
        }
        return text.replace(from, to);
    }
}
