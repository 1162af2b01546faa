package dev.meshproof.evidence;

import java.util.List;

/**
 * Everything one check recorded, as read back from its evidence directory: what it ran against, the manifests it
 * applied, every probe with the agent's response, how each step was driven, the proxies' metrics before and after,
 * and their log lines. Verdicts are functions of this alone.
 */
public record Evidence(CheckFacts facts, List<String> manifests, List<Probe> probes, List<StepRecord> steps,
                       List<MetricsScrape> scrapes, List<LogCapture> logs) {

    public Evidence {
        manifests = List.copyOf(manifests);
        probes = List.copyOf(probes);
        steps = List.copyOf(steps);
        scrapes = List.copyOf(scrapes);
        logs = List.copyOf(logs);
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
