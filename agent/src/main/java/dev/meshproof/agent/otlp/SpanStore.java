package dev.meshproof.agent.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The spans the receiver accepted, in arrival order, at most {@code capacity} of them: when full, the oldest span
 * goes and is counted as dropped (a check that finds a span missing can then tell eviction from absence). Each span
 * keeps its resource and scope, so a read gives them back together ({@code service.name} stays with its spans).
 */
public final class SpanStore {
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final ArrayDeque<Stored> spans;
    private long received;
    private long dropped;
    private long rejectedExports;

    /** Where a span came from: its resource and scope, each with its schema URL. */
    private record Origin(Resource resource, String resourceSchemaUrl, InstrumentationScope scope, String scopeSchemaUrl) {
    }

    private record Stored(Origin origin, Span span) {
    }

    private record ResourceKey(Resource resource, String schemaUrl) {
    }

    /** Spans accepted, kept now, and evicted to stay within the capacity; exports refused whole (nothing of them kept). */
    public record Counts(long received, long stored, long dropped, int capacity, long rejectedExports) {
    }

    public SpanStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("span store capacity is " + capacity + "; allowed: 1 or more");
        }
        this.capacity = capacity;
        this.spans = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Keeps every span of an accepted request (the request is validated before it gets here). */
    synchronized void add(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                Origin origin = new Origin(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl());
                for (Span span : ss.getSpansList()) {
                    if (spans.size() == capacity) {
                        spans.removeFirst();
                        dropped++;
                    }
                    spans.addLast(new Stored(origin, span));
                    received++;
                }
            }
        }
    }

    /** The kept spans of one trace, or all of them, as a TracesData grouped by resource and then scope, in arrival order. */
    public TracesData spans(Optional<ByteString> traceId) {
        Predicate<Span> wanted = traceId.<Predicate<Span>>map(id -> span -> span.getTraceId().equals(id)).orElse(span -> true);
        Map<Origin, List<Span>> byOrigin = new LinkedHashMap<>();
        synchronized (this) {
            for (Stored s : spans) {
                if (wanted.test(s.span())) {
                    byOrigin.computeIfAbsent(s.origin(), o -> new ArrayList<>()).add(s.span());
                }
            }
        }
        Map<ResourceKey, ResourceSpans.Builder> resources = new LinkedHashMap<>();
        byOrigin.forEach((origin, list) -> resources
                .computeIfAbsent(new ResourceKey(origin.resource(), origin.resourceSchemaUrl()),
                        k -> ResourceSpans.newBuilder().setResource(k.resource()).setSchemaUrl(k.schemaUrl()))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(origin.scope()).setSchemaUrl(origin.scopeSchemaUrl())
                        .addAllSpans(list)));
        TracesData.Builder traces = TracesData.newBuilder();
        resources.values().forEach(traces::addResourceSpans);
        return traces.build();
    }

    synchronized void rejected() {
        rejectedExports++;
    }

    public synchronized Counts counts() {
        return new Counts(received, spans.size(), dropped, capacity, rejectedExports);
    }
}
