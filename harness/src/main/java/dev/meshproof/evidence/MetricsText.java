package dev.meshproof.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples of a Prometheus / OpenMetrics text exposition, as ztunnel serves it on {@code :15020/metrics}
 * ({@code istio/ztunnel@1.29.6:src/metrics/server.rs}; the encoder is prometheus-client's OpenMetrics text:
 * {@code # HELP}/{@code # TYPE} lines name a counter family without {@code _total}, its samples carry
 * {@code _total}, the body ends with {@code # EOF}). Comment lines are skipped, so the classic Prometheus format
 * (Envoy's {@code /stats/prometheus}) parses too.
 */
public final class MetricsText {
    /** One sample line: {@code name{label="value",…} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }

        /** The series identity: name and labels. */
        public String series() {
            return name + labels;
        }
    }

    private MetricsText() {
    }

    /**
     * Every sample in {@code text}.
     *
     * @throws IllegalArgumentException naming the line that is not a sample, a comment or blank
     */
    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                out.add(sample(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a metric sample (" + e.getMessage() + "): " + abbreviate(line), e);
            }
        }
        return out;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("no value");
        }
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTimestamp = line.substring(rest).strip().split("\\s+");
        if (valueAndTimestamp[0].isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value(valueAndTimestamp[0]));
    }

    /** Parses {@code key="value",…}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> into) {
        while (true) {
            while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                i++;
            }
            if (i >= line.length()) {
                throw new IllegalArgumentException("unterminated labels");
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label without a quoted value");
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length(); j++) {
                char c = line.charAt(j);
                if (c == '\\' && j + 1 < line.length()) {
                    char n = line.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                }
            }
            if (j >= line.length()) {
                throw new IllegalArgumentException("unterminated label value");
            }
            into.put(key, value.toString());
            i = j + 1;
        }
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static String abbreviate(String line) {
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
