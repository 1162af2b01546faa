package dev.meshproof.agent.load;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** LoadSpec as a flat JSON-friendly map (durations in milliseconds), for handing a spec to a forked engine or a pod. */
final class SpecJson {
    private SpecJson() {
    }

    static Map<String, Object> toMap(LoadSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", s.target().toString());
        m.put("rate", s.rate());
        m.put("durationMillis", s.duration().toMillis());
        m.put("warmupMillis", s.warmup().toMillis());
        m.put("connections", s.connections());
        m.put("payloadBytes", s.payloadBytes());
        m.put("keepAlive", s.keepAlive());
        m.put("requestTimeoutMillis", s.requestTimeout().toMillis());
        m.put("progressEveryMillis", s.progressEvery().toMillis());
        m.put("label", s.label());
        m.put("gatlingReport", s.gatlingReport());
        return m;
    }

    static LoadSpec fromMap(Map<String, Object> m) {
        return new LoadSpec(URI.create((String) m.get("target")),
                ((Number) m.get("rate")).doubleValue(),
                Duration.ofMillis(((Number) m.get("durationMillis")).longValue()),
                Duration.ofMillis(((Number) m.get("warmupMillis")).longValue()),
                ((Number) m.get("connections")).intValue(),
                ((Number) m.get("payloadBytes")).intValue(),
                (Boolean) m.get("keepAlive"),
                Duration.ofMillis(((Number) m.get("requestTimeoutMillis")).longValue()),
                Duration.ofMillis(((Number) m.get("progressEveryMillis")).longValue()),
                (String) m.get("label"),
                Boolean.TRUE.equals(m.get("gatlingReport"))); // absent in specs written before it existed: off
    }
}
