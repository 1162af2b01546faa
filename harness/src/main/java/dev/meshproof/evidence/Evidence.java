package dev.meshproof.evidence;

import java.util.List;
import java.util.Map;

/**
 * Everything one check recorded, as read back from its evidence directory: what it ran against, the manifests it
 * applied, every probe with the agent's response, how each step was driven, the proxies' metrics before and after,
 * their log lines, the status controllers wrote on what it applied, and what it collected elsewhere (e.g. spans).
 * Verdicts are functions of this alone.
 */
public record Evidence(CheckFacts facts, List<String> manifests, List<Probe> probes, List<StepRecord> steps,
                       List<MetricsScrape> scrapes, List<LogCapture> logs, List<ObjectStatus> statuses, Map<String, String> collected) {

    public Evidence {
        manifests = List.copyOf(manifests);
        probes = List.copyOf(probes);
        steps = List.copyOf(steps);
        scrapes = List.copyOf(scrapes);
        logs = List.copyOf(logs);
        statuses = List.copyOf(statuses);
        collected = Map.copyOf(collected);
    }

    /** Evidence of a check that recorded no status and collected nothing. */
    public Evidence(CheckFacts facts, List<String> manifests, List<Probe> probes, List<StepRecord> steps,
                    List<MetricsScrape> scrapes, List<LogCapture> logs) {
        this(facts, manifests, probes, steps, scrapes, logs, List.of(), Map.of());
    }

    /** The recorded status of the object {@code kind}/{@code name}, if any was recorded. */
    public java.util.Optional<ObjectStatus> status(String kind, String name) {
        return statuses.stream().filter(s -> s.kind().equals(kind) && s.name().equals(name)).findFirst();
    }

    /** What was collected as {@code name}, if anything. */
    public java.util.Optional<String> collected(String name) {
        return java.util.Optional.ofNullable(collected.get(name));
    }

    /** The probes recorded for {@code step}, in order. */
    public List<Probe> probes(String step) {
        return probes.stream().filter(p -> p.step().equals(step)).toList();
    }

    /** How {@code step} was driven, one record per target. */
    public List<StepRecord> steps(String step) {
        return steps.stream().filter(s -> s.step().equals(step)).toList();
    }

    /** The metrics scrapes labelled {@code label} ({@code before}, {@code after}). */
    public List<MetricsScrape> scrapes(String label) {
        return scrapes.stream().filter(s -> s.label().equals(label)).toList();
    }
}
