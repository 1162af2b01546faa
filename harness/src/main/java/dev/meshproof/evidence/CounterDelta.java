package dev.meshproof.evidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How much a counter grew between two sets of scrapes, series by series, over every scraped proxy. A series
 * absent before counts from zero: ztunnel omits a metric family until it is first incremented
 * ({@code istio/ztunnel@1.29.6:tests/direct.rs}, "prometheus-client 0.24.1+ omits empty metric families"), so the
 * check's first connection creates its series. A series that went down was reset (the proxy restarted): its
 * growth cannot be known, and the delta says so instead of guessing.
 *
 * <p>Only proxies scraped both before and after count: a counter seen only afterwards holds the proxy's whole
 * history, not the check's window (absolute counters are not deltas).
 *
 * @param series   every matching series that grew: its labels and growth
 * @param reset    series (pod and labels) whose value went down between the scrapes
 * @param unpaired pods scraped after but not before (or before but not after): not counted
 * @param paired   how many proxies were scraped both before and after
 */
public record CounterDelta(List<Growth> series, List<String> reset, List<String> unpaired, int paired) {

    public record Growth(String pod, Map<String, String> labels, double delta) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    /**
     * The growth of {@code sample} (the sample name, e.g. {@code istio_tcp_connections_opened_total}) over the
     * series {@code which} selects, from the {@code before} to the {@code after} scrapes, matched by pod.
     */
    public static CounterDelta of(List<MetricsScrape> before, List<MetricsScrape> after, String sample,
                                  Predicate<MetricsText.Sample> which) {
        Map<String, Double> start = new HashMap<>();
        java.util.Set<String> podsBefore = new java.util.TreeSet<>();
        java.util.Set<String> podsAfter = new java.util.TreeSet<>();
        before.forEach(s -> podsBefore.add(s.pod()));
        after.forEach(s -> podsAfter.add(s.pod()));
        List<String> unpaired = new ArrayList<>();
        podsBefore.stream().filter(p -> !podsAfter.contains(p)).forEach(unpaired::add);
        podsAfter.stream().filter(p -> !podsBefore.contains(p)).forEach(unpaired::add);
        for (MetricsScrape s : before) {
            for (MetricsText.Sample x : parse(s)) {
                if (x.name().equals(sample) && which.test(x)) {
                    start.put(s.pod() + " " + x.series(), x.value());
                }
            }
        }
        List<Growth> grew = new ArrayList<>();
        List<String> reset = new ArrayList<>();
        for (MetricsScrape s : after) {
            if (!podsBefore.contains(s.pod())) {
                continue;
            }
            for (MetricsText.Sample x : parse(s)) {
                if (!x.name().equals(sample) || !which.test(x)) {
                    continue;
                }
                double from = start.getOrDefault(s.pod() + " " + x.series(), 0.0);
                double d = x.value() - from;
                if (d < 0) {
                    reset.add(s.pod() + " " + x.labels());
                } else if (d > 0) {
                    grew.add(new Growth(s.pod(), x.labels(), d));
                }
            }
        }
        int paired = (int) podsAfter.stream().filter(podsBefore::contains).count();
        return new CounterDelta(List.copyOf(grew), List.copyOf(reset), List.copyOf(unpaired), paired);
    }

    private static List<MetricsText.Sample> parse(MetricsScrape s) {
        try {
            return MetricsText.parse(s.text());
        } catch (IllegalArgumentException e) {
            throw new MalformedEvidenceException("metrics/" + s.label() + "/" + s.pod().replace('/', '_') + ".txt", e.getMessage(), e);
        }
    }

    /** The total growth of the series {@code which} selects among those that grew. */
    public double total(Predicate<Growth> which) {
        return series.stream().filter(which).mapToDouble(Growth::delta).sum();
    }
}
