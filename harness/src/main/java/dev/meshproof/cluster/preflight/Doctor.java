package dev.meshproof.cluster.preflight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs checks grouped in ordered categories (as {@code linkerd check} does: linkerd/linkerd2:pkg/healthcheck/healthcheck.go)
 * and prints one line per check: {@code [ok]}, {@code [warn]}, {@code [FAIL]} or {@code [skip]}, with a one-line hint under
 * anything not ok. Within a category a FAIL skips the checks after it: they depend on it (no Docker → no pull;
 * no valid kubeconfig → no API call).
 */
public final class Doctor {

    public record Category(String name, List<Check> checks) {
    }

    public record Outcome(String category, String check, CheckResult result) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Category> categories;

    public Doctor(List<Category> categories) {
        this.categories = categories;
    }

    /** Runs everything, printing as it goes; returns every outcome in order. */
    public List<Outcome> run(PrintWriter out) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Category category : categories) {
            out.println(category.name());
            String failedBefore = null;
            for (Check check : category.checks()) {
                CheckResult r = failedBefore != null
                        ? CheckResult.skipped("needs '" + failedBefore + "'")
                        : safeRun(check);
                if (r.status() == CheckResult.Status.FAIL && failedBefore == null) {
                    failedBefore = check.description();
                }
                print(out, check.description(), r);
                outcomes.add(new Outcome(category.name(), check.description(), r));
            }
            out.flush();
        }
        long failed = outcomes.stream().filter(o -> o.result().status() == CheckResult.Status.FAIL).count();
        long warned = outcomes.stream().filter(o -> o.result().status() == CheckResult.Status.WARN).count();
        out.println();
        out.println(failed == 0
                ? "Status: all required checks passed" + (warned == 0 ? "" : " (" + warned + " warning" + (warned == 1 ? "" : "s") + ")")
                : "Status: " + failed + " required check" + (failed == 1 ? "" : "s") + " failed" + (warned == 0 ? "" : ", " + warned + " warning" + (warned == 1 ? "" : "s")));
        out.flush();
        return outcomes;
    }

    /**
     * The outcomes as JSON, shaped like {@code linkerd check -o json}:
     * {@code {"success":..,"categories":[{"categoryName":..,"checks":[{"description","result","detail","hint"}]}]}}.
     */
    public static String toJson(List<Outcome> outcomes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("success", !anyFailed(outcomes));
        ArrayNode categories = root.putArray("categories");
        Map<String, ArrayNode> checksByCategory = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            ArrayNode checks = checksByCategory.computeIfAbsent(o.category(), name -> {
                ObjectNode c = categories.addObject();
                c.put("categoryName", name);
                return c.putArray("checks");
            });
            ObjectNode check = checks.addObject();
            check.put("description", o.check());
            check.put("result", o.result().status().name().toLowerCase(Locale.ROOT));
            check.put("detail", o.result().detail());
            check.put("hint", o.result().hint());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean anyFailed(List<Outcome> outcomes) {
        return outcomes.stream().anyMatch(o -> o.result().status() == CheckResult.Status.FAIL);
    }

    private static CheckResult safeRun(Check check) {
        try {
            return check.run();
        } catch (RuntimeException e) {
            return CheckResult.fail("the check itself failed: " + e, "rerun with --verbose and report it");
        }
    }

    private static void print(PrintWriter out, String description, CheckResult r) {
        String tag = switch (r.status()) {
            case OK -> "[ok]  ";
            case WARN -> "[warn]";
            case FAIL -> "[FAIL]";
            case SKIPPED -> "[skip]";
        };
        out.println("  " + tag + " " + description + (r.detail() == null || r.detail().isEmpty() ? "" : ": " + r.detail()));
        if (r.hint() != null) {
            out.println("         hint: " + r.hint());
        }
    }
}
