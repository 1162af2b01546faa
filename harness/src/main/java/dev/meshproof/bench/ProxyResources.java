package dev.meshproof.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU and memory of the proxies on a mode's path during measured windows, from the Kubernetes metrics API
 * (metrics-server): per component (a sidecar container, a ztunnel pod, a waypoint pod) and in total. Never zeros
 * for "unknown": a mode whose proxies could not be measured says so in {@code status} and {@code reason}.
 *
 * @param status              {@link #MEASURED}, {@link #NOT_MEASURED} or {@link #NO_PROXY} (no-mesh)
 * @param reason              why nothing was measured (null when measured)
 * @param cpuMillicoresMean   sum of the components' mean CPU (millicores), null unless measured
 * @param memoryMiBMax        sum of the components' largest working-set memory (MiB), null unless measured
 * @param cpuMsPer1kRequests  CPU-ms the proxies used per 1000 requests sent in the measured windows, null unless measured
 * @param requests            requests sent in the measured windows these figures cover
 * @param repetitionsMeasured repetitions that contributed samples
 * @param components          one entry per proxy on the path (also when some had no sample)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyResources(String status, String reason, Double cpuMillicoresMean, Double memoryMiBMax,
                             Double cpuMsPer1kRequests, long requests, int repetitionsMeasured, List<Component> components) {

    public static final String MEASURED = "measured";
    public static final String NOT_MEASURED = "not-measured";
    public static final String NO_PROXY = "no-proxy";
    /** The metrics API answered 404 or nothing usable for the proxies. */
    public static final String API_UNAVAILABLE = "metrics API unavailable";

    /**
     * One proxy and its figures over the samples that fell inside measured windows.
     *
     * @param kind              {@code sidecar}, {@code ztunnel} or {@code waypoint}
     * @param role              what it serves on the path: {@code client}, {@code server}, or {@code node <name>}
     * @param container         the container measured, or null for the whole pod
     * @param samples           distinct metrics samples (by timestamp) inside measured windows
     * @param cpuMs             mean CPU × measured seconds, summed over repetitions (CPU-ms)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(String kind, String role, String namespace, String pod, String container, String node,
                            int samples, Double cpuMillicoresMean, Double cpuMillicoresMax, Double memoryMiBMax,
                            Double cpuMs, Double cpuMsPer1kRequests) {

        @JsonIgnore
        String key() {
            return kind + "/" + namespace + "/" + pod + "/" + container;
        }
    }

    public static ProxyResources noProxy() {
        return new ProxyResources(NO_PROXY, "no proxy on this mode's path", null, null, null, 0, 0, List.of());
    }

    public static ProxyResources notMeasured(String reason, List<Component> components) {
        return new ProxyResources(NOT_MEASURED, reason, null, null, null, 0, 0, components);
    }

    @JsonIgnore
    public boolean measured() {
        return MEASURED.equals(status);
    }

    /** From measured components: totals are sums of the components' mean CPU, largest memory and CPU-ms. */
    public static ProxyResources measured(List<Component> components, long requests, int repetitions) {
        double cpu = components.stream().mapToDouble(Component::cpuMillicoresMean).sum();
        double mem = components.stream().mapToDouble(Component::memoryMiBMax).sum();
        double cpuMs = components.stream().mapToDouble(Component::cpuMs).sum();
        return new ProxyResources(MEASURED, null, cpu, mem, perThousand(cpuMs, requests), requests, repetitions, components);
    }

    static Double perThousand(double cpuMs, long requests) {
        return requests > 0 ? cpuMs / requests * 1000 : null;
    }

    /**
     * A mode's figures over its repetitions: per component, samples pooled (mean weighted by sample count, max of
     * maxima, CPU-ms summed); only measured repetitions count. Null when no repetition carried resource data (local mode).
     */
    public static ProxyResources combine(List<ProxyResources> repetitions) {
        List<ProxyResources> present = repetitions.stream().filter(r -> r != null).toList();
        if (present.isEmpty()) {
            return null;
        }
        List<ProxyResources> measured = present.stream().filter(ProxyResources::measured).toList();
        if (measured.isEmpty()) {
            return present.get(0);
        }
        long requests = measured.stream().mapToLong(ProxyResources::requests).sum();
        Map<String, List<Component>> byKey = new LinkedHashMap<>();
        measured.forEach(r -> r.components().forEach(c -> byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c)));
        List<Component> pooled = new ArrayList<>();
        for (List<Component> cs : byKey.values()) {
            Component first = cs.get(0);
            int samples = cs.stream().mapToInt(Component::samples).sum();
            double mean = cs.stream().mapToDouble(c -> c.cpuMillicoresMean() * c.samples()).sum() / samples;
            double max = cs.stream().mapToDouble(Component::cpuMillicoresMax).max().orElseThrow();
            double mem = cs.stream().mapToDouble(Component::memoryMiBMax).max().orElseThrow();
            double cpuMs = cs.stream().mapToDouble(Component::cpuMs).sum();
            pooled.add(new Component(first.kind(), first.role(), first.namespace(), first.pod(), first.container(),
                    first.node(), samples, mean, max, mem, cpuMs, perThousand(cpuMs, requests)));
        }
        return measured(pooled, requests, measured.size());
    }

    /** For progress lines: "CPU 123 millicores (…), memory 45.6 MiB", "no proxy" or "not measured (reason)". */
    public String describe() {
        return switch (status) {
            case MEASURED -> "CPU " + cpuCell().replaceFirst(" ", " millicores ") + ", memory " + memoryCell() + " MiB";
            case NO_PROXY -> "no proxy";
            default -> cpuCell();
        };
    }

    /** The CPU table cell: "123 (4.5 CPU-ms/1k req)" in millicores, "not measured (reason)" or "–". */
    public String cpuCell() {
        return switch (status) {
            case MEASURED -> String.format(Locale.ROOT, "%.0f", cpuMillicoresMean)
                    + (cpuMsPer1kRequests == null ? "" : String.format(Locale.ROOT, " (%.1f CPU-ms/1k req)", cpuMsPer1kRequests));
            case NO_PROXY -> "–";
            default -> "not measured (" + reason + ")";
        };
    }

    public String memoryCell() {
        return switch (status) {
            case MEASURED -> String.format(Locale.ROOT, "%.1f", memoryMiBMax);
            case NO_PROXY -> "–";
            default -> "not measured";
        };
    }
}
