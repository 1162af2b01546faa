package dev.meshproof.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Whether two benchmarks measured the same thing, so that a difference between them can be blamed on the change
 * under test. Latency depends on the load (rate, connections, payload, connection reuse, window length) and on where
 * it ran (node placement, cluster kind, Istio version and install mode); a gate that compared a 1000 rps baseline with
 * a 500 rps run, or Istio 1.24 with 1.25, would report the difference in setup as a regression or hide one.
 * The generator's health is reported beside the gate, not required to match: it varies night to night.
 */
public final class Comparability {
    private Comparability() {
    }

    /** Every field that differs, as {@code "profile.rate: 1000 (baseline) vs 500 (current)"}; empty when comparable. */
    public static List<String> differences(BenchmarkSummary baseline, BenchmarkSummary current) {
        List<String> out = new ArrayList<>();
        compare(out, "profile", fields(baseline.profile()), fields(current.profile()));
        compare(out, "environment", fields(baseline.environment()), fields(current.environment()));
        return out;
    }

    private static Map<String, Object> fields(BenchmarkSummary.ProfileInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", p.rate());
        m.put("connections", p.connections());
        m.put("payloadBytes", p.payloadBytes());
        m.put("keepAlive", p.keepAlive());
        m.put("durationSeconds", p.durationSeconds());
        m.put("placement", p.placement());
        return m;
    }

    private static Map<String, Object> fields(BenchmarkSummary.Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clusterKind", e == null ? null : e.clusterKind());
        m.put("istioVersion", e == null ? null : e.istioVersion());
        m.put("meshMode", e == null ? null : e.meshMode());
        return m;
    }

    private static void compare(List<String> out, String prefix, Map<String, Object> base, Map<String, Object> cur) {
        base.forEach((name, b) -> {
            Object c = cur.get(name);
            if (!Objects.equals(b, c)) {
                out.add(prefix + "." + name + ": " + b + " (baseline) vs " + c + " (current)");
            }
        });
    }

    /** One line per mode both have: the generator's lateness p99 and largest JVM hiccup, baseline → current. */
    public static List<String> generatorHealth(BenchmarkSummary baseline, BenchmarkSummary current) {
        List<String> lines = new ArrayList<>();
        for (BenchmarkSummary.ModeSummary b : baseline.modes()) {
            BenchmarkSummary.ModeSummary c = current.mode(b.name());
            if (c != null) {
                lines.add(String.format(Locale.ROOT, "generator %-11s lateness p99 %.0f -> %.0f µs, largest JVM hiccup %.1f -> %.1f ms",
                        b.name(), b.latenessMicros().p99(), c.latenessMicros().p99(), maxHiccup(b), maxHiccup(c)));
            }
        }
        return lines;
    }

    private static double maxHiccup(BenchmarkSummary.ModeSummary m) {
        return m.repetitions().stream().filter(r -> r.jvmPauses() != null)
                .mapToDouble(r -> r.jvmPauses().maxHiccupMillis()).max().orElse(0);
    }
}
