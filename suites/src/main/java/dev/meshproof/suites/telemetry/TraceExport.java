package dev.meshproof.suites.telemetry;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.CallStamp;
import dev.meshproof.conformance.Check;
import dev.meshproof.conformance.CheckBody;
import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.ConformanceCheck;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.evidence.Evidence;
import dev.meshproof.evidence.OtlpSpans;
import dev.meshproof.mesh.ExtensionProviders;
import dev.meshproof.verdict.Step;
import dev.meshproof.verdict.Steps;
import dev.meshproof.verdict.TraceLinks;
import dev.meshproof.verdict.Verdict;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.meshproof.verdict.CallExpectation.ADMITTED;

/**
 * Trace export: with a {@code Telemetry} that samples every request through the installer's {@code meshproof-otel}
 * provider, the L7 proxies (the namespace waypoint in ambient, the client's and the server's sidecars) export spans of each
 * request, over OTLP/HTTP, to Meshproof's collector (the agent, Deployment and Service {@code otel-collector} in the fixed
 * namespace {@code meshproof-telemetry} the provider names). Every request carries its own sampled {@code traceparent};
 * the spans of its trace are read back from the collector and judged by {@link TraceLinks}. Controls, read after the
 * same wait: requests sent before the Telemetry exists and requests whose traceparent is unsampled ({@code -00}, which
 * Envoy respects) have no span.
 *
 * <p>Waiting: Envoy's OpenTelemetry exporter flushes every 5 s or every 5 spans ({@code tracing.opentelemetry.flush_interval_ms}
 * / {@code min_flush_spans}, envoyproxy/envoy {@code source/extensions/tracers/opentelemetry/tracer.cc}), per worker. The
 * check polls the collector until the traced requests' spans arrived, at least the flush interval after the last control
 * request (bounded by the converge timeout), at most the converge timeout plus the flush interval.
 */
@Check(id = "telemetry-trace-export", level = Level.EXTENDED, dataPlanes = {DataPlane.AMBIENT, DataPlane.SIDECAR},
        proves = "With a Telemetry sampling every request, the waypoint (ambient) or the client and server sidecars export one span per proxy per request, "
                + "child of the client's span, with method, status, upstream cluster and x-request-id; nothing for requests before the Telemetry or unsampled.",
        fixtures = {TraceExport.COLLECTOR, TraceExport.TRACING_WAYPOINT, TraceExport.TRACING_NAMESPACE})
@ResourceLock(ExtensionProviders.COLLECTOR_NAMESPACE)
public class TraceExport implements ConformanceCheck {
    public static final String COLLECTOR = "collector.yaml";
    public static final String TRACING_WAYPOINT = "tracing-waypoint.yaml";
    public static final String TRACING_NAMESPACE = "tracing-namespace.yaml";
    /** Envoy's default {@code tracing.opentelemetry.flush_interval_ms}. */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
    static final int CALLS = 3;

    public static final Step BEFORE_TELEMETRY = Step.expect("requests admitted before the Telemetry exists (no span)", ADMITTED);
    public static final Step CONVERGE = Step.expect("requests admitted until the first span arrives", ADMITTED);
    public static final Step UNSAMPLED = Step.expect("requests with an unsampled traceparent admitted (no span)", ADMITTED);
    public static final Step TRACED = Step.expect("traced requests admitted", ADMITTED);

    @CheckBody
    void run(CheckContext ctx) {
        drive(ctx);
    }

    /** The body's steps (a mutation drives them with a variant of {@link #deployCollector}). */
    public void drive(CheckContext ctx) {
        boolean ambient = ctx.dataPlane() == DataPlane.AMBIENT;
        CheckContext.Server server = ctx.server(ctx.namespace("server"));
        CheckContext.Client client = ctx.client(ctx.namespace("client"), "client");
        if (ambient) {
            ctx.waypoint(server.namespace());
        }
        CheckContext.Namespace collector = ctx.fixedNamespace("collector", ExtensionProviders.COLLECTOR_NAMESPACE);
        deployCollector(ctx, collector);
        CheckContext.Target target = CheckContext.Target.of(server.http());
        List<String> controls = new ArrayList<>(traceIds(ctx.sample(BEFORE_TELEMETRY, client, target, CALLS)));

        if (ambient) {
            ctx.apply(TRACING_WAYPOINT, server.namespace(), Map.of());
        } else {
            ctx.apply(TRACING_NAMESPACE, client.namespace(), Map.of());
            ctx.apply(TRACING_NAMESPACE, server.namespace(), Map.of());
        }
        int expected = ambient ? 1 : 2;
        List<String> converging = new ArrayList<>();
        awaitSpans(ctx, collector, ctx.timeouts().converge().plus(FLUSH_INTERVAL), "a span of the first traced requests", () -> {
            converging.addAll(traceIds(ctx.sample(CONVERGE, client, target, 1)));
            return converging.stream().anyMatch(t -> spans(ctx, collector, t) > 0);
        });

        String unsampled = "00-" + CallStamp.hex(16) + "-" + CallStamp.hex(8) + "-00"; // the agent's ids, sampled flag off
        ctx.sample(UNSAMPLED, client, target.header("traceparent", unsampled), CALLS); // the explicit header wins over the agent's stamp
        controls.add(unsampled.split("-")[1]);
        Instant lastControl = Instant.now();
        List<String> traced = traceIds(ctx.sample(TRACED, client, target, CALLS));
        Duration atLeast = FLUSH_INTERVAL.plusSeconds(1).compareTo(ctx.timeouts().converge()) < 0 ? FLUSH_INTERVAL.plusSeconds(1) : ctx.timeouts().converge();
        awaitSpans(ctx, collector, ctx.timeouts().converge().plus(FLUSH_INTERVAL), "the spans of every traced request", () ->
                Duration.between(lastControl, Instant.now()).compareTo(atLeast) >= 0
                        && traced.stream().allMatch(t -> spans(ctx, collector, t) >= expected));

        for (String t : traced) {
            ctx.collect(TraceLinks.collectedName(t), collector, ExtensionProviders.COLLECTOR, ExtensionProviders.COLLECTOR_PORT, "/otlp/spans?traceId=" + t);
        }
        for (String t : controls) {
            ctx.collect(TraceLinks.collectedName(t), collector, ExtensionProviders.COLLECTOR, ExtensionProviders.COLLECTOR_PORT, "/otlp/spans?traceId=" + t);
        }
    }

    /** The collector (Deployment and Service in {@code ns}), ready. A mutation overrides this to leave it out. */
    protected void deployCollector(CheckContext ctx, CheckContext.Namespace ns) {
        ctx.apply(COLLECTOR, ns, Map.of());
        ctx.awaitReady(ns, ExtensionProviders.COLLECTOR);
    }

    @Override
    public Verdict verdict(Evidence e) {
        return Verdict.all(Steps.judge(e, BEFORE_TELEMETRY, CONVERGE, UNSAMPLED, TRACED), TraceLinks.judge(e, TRACED, BEFORE_TELEMETRY, UNSAMPLED));
    }

    private static void awaitSpans(CheckContext ctx, CheckContext.Namespace collector, Duration bound, String what, java.util.concurrent.Callable<Boolean> arrived) {
        try {
            Awaitility.await(what).atMost(bound).pollDelay(Duration.ZERO).pollInterval(ctx.timeouts().poll()).pollInSameThread().until(arrived);
        } catch (ConditionTimeoutException e) {
            dev.meshproof.core.Progress.info("[" + ctx.checkId() + " " + ctx.dataPlane().id() + "] " + what + " not in " + collector.name() + "/"
                    + ExtensionProviders.COLLECTOR + " after " + bound.toSeconds() + " s; the verdict judges what was collected");
        }
    }

    /** How many spans of {@code traceId} the collector holds now (0 when it does not answer). */
    private static int spans(CheckContext ctx, CheckContext.Namespace collector, String traceId) {
        String body = ctx.read(collector, ExtensionProviders.COLLECTOR, ExtensionProviders.COLLECTOR_PORT, "/otlp/spans?traceId=" + traceId);
        try {
            return body == null ? 0 : (int) OtlpSpans.parse(body).stream().filter(s -> s.traceId().equals(traceId)).count();
        } catch (IllegalArgumentException e) {
            return 0; // judged from the collected copy
        }
    }

    private static List<String> traceIds(CallResponse r) {
        List<String> out = new ArrayList<>();
        for (CallResult c : r.results()) {
            String tp = c.sent() == null ? null : c.sent().get(CallStamp.TRACEPARENT);
            if (tp != null && tp.split("-").length == 4) {
                out.add(tp.split("-")[1].toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }
}
