package dev.meshproof.report;

import dev.meshproof.bench.BenchmarkSummary;
import dev.meshproof.bench.BlockBootstrap;
import dev.meshproof.bench.Interval;
import dev.meshproof.bench.ProxyResources;
import dev.meshproof.bench.SendOffset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed article's table (mode × P50/P99 in ms), extended: P90, P99.9 and max, each with the 95 % t-interval of
 * its per-repetition value, achieved rate and errors; then the pairwise differences, paired by round. Values are shown in ms with three
 * decimals, which is the measurement's µs resolution. Rendered as Markdown and as HTML from the same rows.
 */
public final class ReportTables {
    private static final String[] PERCENTILES = {"p50", "p90", "p99", "p999"};
    private static final String[] LABELS = {"P50", "P90", "P99", "P99.9"};

    private ReportTables() {
    }

    /** Header and rows of the mode table. */
    static List<List<String>> modeRows(BenchmarkSummary s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Mode"));
        for (String l : LABELS) {
            header.add(l + " (ms) [95% CI]");
        }
        header.addAll(List.of("Max (ms)", "P99 all requests (ms)", "P99.9 all requests (ms)", "Achieved rps", "Requests",
                "Errors", "Repetitions", "Valid"));
        boolean resources = hasProxyResources(s);
        if (resources) {
            header.addAll(List.of("Proxy CPU (millicores, mean)", "Proxy memory (MiB, max)"));
        }
        rows.add(header);
        for (BenchmarkSummary.ModeSummary m : s.modes()) {
            List<String> row = new ArrayList<>(List.of(m.name()));
            for (String p : PERCENTILES) {
                Interval ci = m.ci95().get(p);
                row.add(ms(m.latencyMicros().get(p)) + (ci != null ? " [" + ms(ci.low()) + ", " + ms(ci.high()) + "]"
                        : m.repetitions().size() == 1 ? " [" + ONE_REPETITION + "]" : ""));
            }
            row.add(ms(m.latencyMicros().max()));
            row.add(ms(m.allRequestsLatencyMicros().p99()));
            row.add(ms(m.allRequestsLatencyMicros().p999()));
            row.add(String.format(Locale.ROOT, "%.1f / %.0f", m.achievedRate(), m.requestedRate()));
            row.add(Long.toString(m.requests()));
            row.add(m.errors() + errorDetail(m));
            row.add(Integer.toString(m.repetitions().size()));
            row.add(m.valid() ? "yes" : "NO");
            if (resources) {
                row.add(m.proxyResources() == null ? "–" : m.proxyResources().cpuCell());
                row.add(m.proxyResources() == null ? "–" : m.proxyResources().memoryCell());
            }
            rows.add(row);
        }
        return rows;
    }

    /** Cluster mode measures the proxies (or says why not); local mode has nothing to show, so no columns. */
    static boolean hasProxyResources(BenchmarkSummary s) {
        return s.modes().stream().anyMatch(m -> m.proxyResources() != null);
    }

    /** Per proxy on each mode's path: samples, CPU mean/max, memory max, CPU-ms per 1000 requests (empty without data). */
    static List<List<String>> proxyRows(BenchmarkSummary s) {
        List<List<String>> rows = new ArrayList<>();
        if (!hasProxyResources(s)) {
            return rows;
        }
        rows.add(List.of("Proxy", "Pod", "Samples", "CPU mean (mC)", "CPU max (mC)", "Memory max (MiB)", "CPU-ms / 1k requests"));
        for (BenchmarkSummary.ModeSummary m : s.modes()) {
            ProxyResources r = m.proxyResources();
            if (r == null || r.components().isEmpty()) {
                continue;
            }
            for (ProxyResources.Component c : r.components()) {
                String name = m.name() + ": " + c.kind() + " (" + c.role() + ")";
                String pod = c.namespace() + "/" + c.pod() + (c.container() == null ? "" : " [" + c.container() + "]");
                if (c.samples() == 0 || !r.measured()) {
                    rows.add(List.of(name, pod, Integer.toString(c.samples()), "not measured (" + r.reason() + ")", "–", "–", "–"));
                } else {
                    rows.add(List.of(name, pod, Integer.toString(c.samples()), num(c.cpuMillicoresMean(), "%.1f"),
                            num(c.cpuMillicoresMax(), "%.1f"), num(c.memoryMiBMax(), "%.1f"), num(c.cpuMsPer1kRequests(), "%.1f")));
                }
            }
        }
        return rows.size() > 1 ? rows : List.of();
    }

    private static String num(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    /** Header and rows of the differences table (empty when one mode ran). */
    static List<List<String>> differenceRows(BenchmarkSummary s) {
        List<List<String>> rows = new ArrayList<>();
        if (s.differences().isEmpty()) {
            return rows;
        }
        rows.add(List.of("Difference (all requests)", "ΔP50 (ms) [95% CI]", "ΔP90 (ms) [95% CI]", "ΔP99 (ms) [95% CI]", "Rounds"));
        for (BenchmarkSummary.Difference d : s.differences()) {
            rows.add(List.of(d.to() + " − " + d.from(), delta(d, "p50"), delta(d, "p90"), delta(d, "p99"),
                    Integer.toString(d.rounds())));
        }
        return rows;
    }

    /** The generator's self-check per mode: how late it sent, service time, JVM pauses. */
    static List<List<String>> generatorRows(BenchmarkSummary s) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Generator check", "Lateness P50 (ms)", "Lateness P99 (ms)", "Early sends (%, max ms)",
                "Service time P50 (ms)", "Unsent / in flight at end", "Warm-up rebase (max ms)", "Max JVM hiccup (ms)",
                "GC (count / ms)"));
        for (BenchmarkSummary.ModeSummary m : s.modes()) {
            double hiccup = 0;
            long gcCount = 0;
            long gcMillis = 0;
            double rebase = 0;
            for (BenchmarkSummary.Repetition r : m.repetitions()) {
                rebase = Math.max(rebase, r.warmupRebaseMicros());
                if (r.jvmPauses() != null) {
                    hiccup = Math.max(hiccup, r.jvmPauses().maxHiccupMillis());
                    gcCount += r.jvmPauses().gcCollections();
                    gcMillis += r.jvmPauses().gcMillis();
                }
            }
            SendOffset o = m.sendOffsetMicros();
            rows.add(List.of(m.name(), ms(m.latenessMicros().p50()), ms(m.latenessMicros().p99()),
                    String.format(Locale.ROOT, "%.1f, %s", o.earlyPercent(), ms(o.earlyMaxMicros())),
                    ms(m.serviceTimeMicros().p50()), m.counts().unsent() + " / " + m.counts().inFlightAtEnd(), ms(rebase),
                    String.format(Locale.ROOT, "%.1f", hiccup), gcCount + " / " + gcMillis));
        }
        return rows;
    }

    public static String markdown(BenchmarkSummary s) {
        StringBuilder b = new StringBuilder();
        b.append("# Latency benchmark: ").append(s.profile().name()).append("\n\n");
        b.append(context(s)).append("\n\n");
        table(b, modeRows(s));
        if (!s.valid()) {
            b.append("\n**").append(INVALID).append("**\n\n");
            s.invalidReasons().forEach(r -> b.append("- ").append(r).append('\n'));
        }
        List<List<String>> diffs = differenceRows(s);
        if (!diffs.isEmpty()) {
            b.append("\n");
            table(b, diffs);
            b.append("\n").append(differenceNote(s)).append("\n");
        }
        List<List<String>> proxies = proxyRows(s);
        if (!proxies.isEmpty()) {
            b.append("\n");
            table(b, proxies);
            b.append("\n").append(PROXY_NOTE).append("\n");
        }
        b.append("\n");
        table(b, generatorRows(s));
        b.append("\n").append(NOTE).append("\n");
        return b.toString();
    }

    public static String html(BenchmarkSummary s) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Latency benchmark: ")
                .append(esc(s.profile().name())).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:4px 8px;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n");
        b.append("<h1>Latency benchmark: ").append(esc(s.profile().name())).append("</h1>\n<p>").append(esc(context(s)))
                .append("</p>\n");
        htmlTable(b, modeRows(s));
        if (!s.valid()) {
            b.append("<p><strong>").append(esc(INVALID)).append("</strong></p>\n<ul>\n");
            s.invalidReasons().forEach(r -> b.append("<li>").append(esc(r)).append("</li>\n"));
            b.append("</ul>\n");
        }
        List<List<String>> diffs = differenceRows(s);
        if (!diffs.isEmpty()) {
            htmlTable(b, diffs);
            b.append("<p>").append(esc(differenceNote(s))).append("</p>\n");
        }
        List<List<String>> proxies = proxyRows(s);
        if (!proxies.isEmpty()) {
            htmlTable(b, proxies);
            b.append("<p>").append(esc(PROXY_NOTE)).append("</p>\n");
        }
        htmlTable(b, generatorRows(s));
        b.append("<p><img src=\"").append(PercentileChart.FILE).append("\" alt=\"latency by percentile\"></p>\n<p>")
                .append(esc(NOTE)).append("</p>\n</body></html>\n");
        return b.toString();
    }

    static final String INVALID = "INVALID: the run did not measure the load asked for; do not compare or gate on it.";

    static final String NOTE = "Latency is measured from each request's intended send time (open model, "
            + "coordinated-omission safe) in ns and shown in ms with µs resolution; warm-up excluded. P50-P99.9 and Max "
            + "are of successful requests; the all-request columns and the differences count every planned request, a "
            + "failed one at its time to failure and one never sent or answered at the end of the run (a lower bound). "
            + "Generator lateness is part of every latency (the generator check shows it, and the service time measured "
            + "from the actual send). Pacing granularity: the generator waits in whole milliseconds, rounded down, so a "
            + "send may leave up to 1 ms early (timed from its actual send; 'Early sends'). "
            + "See docs/benchmarks.md for what the numbers mean and their limits.";

    static final String PROXY_NOTE = "Proxy CPU and memory come from the Kubernetes metrics API (metrics-server, ~15 s "
            + "rate windows) inside the measured windows only; mode totals sum the proxies on the path. ztunnel serves "
            + "everything on its node, so its figures include other traffic there; kernel time (e.g. in-kernel redirection) "
            + "is not counted. See docs/benchmarks.md, 'Proxy CPU and memory'.";

    private static String context(BenchmarkSummary s) {
        BenchmarkSummary.ProfileInfo p = s.profile();
        return String.format(Locale.ROOT, "%s rps for %.0f s (after %.0f s warm-up) per repetition, %d connection(s), "
                        + "%s, %s; target %s; started %s.", fmt(p.rate()), p.durationSeconds(), p.warmupSeconds(),
                p.connections(), p.payloadBytes() == 0 ? "GET" : "POST " + p.payloadBytes() + " B",
                p.keepAlive() ? "keep-alive" : "new connection per request", s.target(), s.startedAt());
    }

    private static String errorDetail(BenchmarkSummary.ModeSummary m) {
        StringBuilder b = new StringBuilder();
        m.errorsByOutcome().forEach((k, v) -> {
            if (v > 0) {
                b.append(b.length() == 0 ? " (" : ", ").append(k).append(' ').append(v);
            }
        });
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    private static void table(StringBuilder b, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", rows.get(0))).append(" |\n|");
        rows.get(0).forEach(h -> b.append("---|"));
        b.append('\n');
        rows.subList(1, rows.size()).forEach(r -> b.append("| ").append(String.join(" | ", r)).append(" |\n"));
    }

    private static void htmlTable(StringBuilder b, List<List<String>> rows) {
        b.append("<table>\n<tr>");
        rows.get(0).forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> r : rows.subList(1, rows.size())) {
            b.append("<tr>");
            r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static String delta(BenchmarkSummary.Difference d, String p) {
        Double estimate = d.deltaMicros().get(p);
        if (estimate == null) {
            return "–";
        }
        Interval ci = d.ci95().get(p);
        return ci == null ? String.format(Locale.ROOT, "%+.3f [%s]", estimate / 1000, ONE_REPETITION)
                : String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]%s", estimate / 1000, ci.low() / 1000, ci.high() / 1000,
                d.withinRun() ? " (within run)" : "");
    }

    /** What a cell says instead of an interval when one repetition cannot tell run-to-run variation. */
    static final String ONE_REPETITION = "unclear: one repetition";

    /** The sentence under the differences table: what its intervals mean, or why there are none. */
    public static String differenceNote(BenchmarkSummary s) {
        int rounds = s.differences().stream().mapToInt(BenchmarkSummary.Difference::rounds).min().orElse(0);
        if (rounds < 2 && s.differences().stream().anyMatch(d -> !d.ci95().isEmpty())) {
            return "One repetition per mode: intervals marked 'within run' are a block bootstrap over each run's one-second "
                    + "intervals (docs/benchmarks.md, 'Within one run'). They cover the sampling and drift inside each run, "
                    + "not what changes from run to run (placement, neighbours); nominally 95 %, they held the true "
                    + "difference in about 90 % of synthetic autocorrelated runs, so no difference is claimed at the 95 % "
                    + "level. p99.9 and runs under " + BlockBootstrap.MIN_INTERVALS + " s stay unclear; run 3 or more "
                    + "repetitions for a 95 % claim.";
        }
        if (rounds < 2) {
            return "One repetition per mode: a difference from a single run says nothing about run-to-run variation, so "
                    + "no interval is given and no difference is supported at the 95 % level; run 3 or more repetitions "
                    + "(or, for a within-run interval, measure at least " + BlockBootstrap.MIN_INTERVALS + " s).";
        }
        return "Δ is the mean over " + rounds + " rounds of each round's difference; its 95 % CI is the t-interval of those "
                + "per-round differences. A difference whose CI excludes 0 is supported by the data at the 95 % level.";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
