package dev.meshproof.report;

import dev.meshproof.verdict.Verdict;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The run as one self-contained HTML page, for the person who opens it after a red night: the environment, every
 * check's verdict with its reasons and convergence times, and relative links into its evidence files (they resolve
 * in the run directory and in an unpacked bundle). Styles are inline; there is no script and no remote URL, so
 * nothing is fetched when it is viewed.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}
            .PASS{background:#d9f2d9}.FAIL{background:#f8d0d0}.INCONCLUSIVE{background:#fbe7c6}.SKIPPED{background:#eee}
            .verdict{font-weight:bold}ul{margin:0;padding-left:1.2em}details{margin-top:.3em}code{font-size:90%}
            """;

    private HtmlReport() {
    }

    public static String of(RunResults run, String gatewayApiVersion) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>Meshproof run</title><style>").append(STYLE).append("</style></head><body>\n");
        h.append("<h1>Meshproof conformance run</h1>\n<h2>Environment</h2>\n<table id=\"environment\">");
        row(h, "Istio version", run.istioVersion());
        row(h, "mesh mode", run.meshMode());
        row(h, "cluster", run.cluster());
        row(h, "started", run.started());
        row(h, "Gateway API version", gatewayApiVersion);
        h.append("</table>\n<h2>Checks</h2>\n<p>").append(esc(totals(run))).append("</p>\n");
        h.append("<table id=\"checks\"><tr><th>check</th><th>data plane</th><th>level</th><th>verdict</th><th>seconds</th>")
                .append("<th>reasons</th><th>convergence</th><th>evidence</th></tr>\n");
        for (RunResults.Result r : run.results()) {
            String status = r.status().name();
            h.append("<tr class=\"").append(status).append("\" data-check=\"").append(esc(r.name())).append("\"><td>").append(esc(r.check().check()))
                    .append("</td><td>").append(esc(r.check().dataPlane() == null ? "-" : r.check().dataPlane()))
                    .append("</td><td>").append(esc(r.check().level())).append("</td><td class=\"verdict\">").append(status)
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f", r.check().seconds())).append("</td><td><ul>");
            r.check().verdict().reasons().forEach(reason -> h.append("<li>").append(esc(reason)).append("</li>"));
            h.append("</ul></td><td><ul>");
            for (Map.Entry<String, Duration> c : r.convergence().entrySet()) {
                h.append("<li>").append(esc(c.getKey())).append(": ").append(String.format(Locale.ROOT, "%.2f s", c.getValue().toMillis() / 1000.0)).append("</li>");
            }
            h.append("</ul></td><td>");
            if (!r.evidence().isEmpty()) {
                h.append("<details><summary>").append(r.evidence().size()).append(" files</summary><ul>");
                r.evidence().forEach(f -> h.append("<li><a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a></li>"));
                h.append("</ul></details>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<p>Recompute every verdict from this evidence: <code>meshproof verdict RUN_DIR</code>; ")
                .append("JUnit XML: <a href=\"junit.xml\">junit.xml</a>; ConformanceReport: <a href=\"conformance-report.yaml\">conformance-report.yaml</a>.</p>\n")
                .append("</body></html>\n");
        return h.toString();
    }

    private static String totals(RunResults run) {
        StringBuilder s = new StringBuilder();
        for (Verdict.Status st : Verdict.Status.values()) {
            long n = run.results().stream().filter(r -> r.status() == st).count();
            s.append(s.length() == 0 ? "" : ", ").append(st).append(' ').append(n);
        }
        return s.toString();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value == null ? "unknown" : value)).append("</td></tr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
