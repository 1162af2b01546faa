package dev.meshproof.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshproof.core.Versions;
import dev.meshproof.report.ConformanceReport.ProfileReport;
import dev.meshproof.report.ConformanceReport.Statistics;
import dev.meshproof.report.ConformanceReport.Status;
import dev.meshproof.verdict.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@link ConformanceReport}: one profile per {@link Profiles profile} that has checks, core from the core
 * checks, extended from the extended ones. A test is a check in a data plane ({@code l4-deny-by-principal[ambient]});
 * FAIL and INCONCLUSIVE count as failed (absence of evidence never passes), SKIPPED as skipped, which makes the
 * result {@code partial} as Gateway API's suite does for skipped tests.
 */
public final class ConformanceReports {
    /** The YAML as Gateway API's reports are written: no document marker, block lists. */
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS) // version "1.28" stays a string
            .disable(YAMLGenerator.Feature.SPLIT_LINES))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConformanceReports() {
    }

    public static ConformanceReport of(RunResults run, Versions versions, Instant date) {
        List<ProfileReport> profiles = new ArrayList<>();
        for (String profile : Profiles.all()) {
            List<RunResults.Result> in = run.inProfile(profile);
            if (in.isEmpty()) {
                continue;
            }
            Status core = status(in.stream().filter(r -> "core".equals(r.check().level())).toList(), false);
            List<RunResults.Result> ext = in.stream().filter(r -> "extended".equals(r.check().level())).toList();
            Status extended = ext.isEmpty() ? null : status(ext, true);
            profiles.add(new ProfileReport(profile, summary(core, extended), core, extended));
        }
        ConformanceReport.Implementation implementation = run.implementation() != null ? run.implementation()
                : Implementations.istio(run.istioVersion() == null ? "unknown" : run.istioVersion());
        return new ConformanceReport(ConformanceReport.API_VERSION, ConformanceReport.KIND, implementation,
                date.toString(), versions.gatewayApi().version(), versions.gatewayApi().channel(),
                run.meshMode() == null ? "default" : run.meshMode(), profiles, List.of());
    }

    private static Status status(List<RunResults.Result> results, boolean extended) {
        List<String> failed = names(results, Verdict.Status.FAIL, Verdict.Status.INCONCLUSIVE);
        List<String> skipped = names(results, Verdict.Status.SKIPPED);
        int passed = names(results, Verdict.Status.PASS).size();
        String result = !failed.isEmpty() ? Status.FAILURE : !skipped.isEmpty() || results.isEmpty() ? Status.PARTIAL : Status.SUCCESS;
        List<String> supported = extended ? results.stream().filter(r -> r.status() != Verdict.Status.SKIPPED).map(r -> r.check().check()).distinct().toList() : List.of();
        List<String> unsupported = extended ? results.stream().map(r -> r.check().check()).distinct().filter(id -> !supported.contains(id)).toList() : List.of();
        return new Status(result, new Statistics(passed, failed.size(), skipped.size()), skipped, failed, supported, unsupported);
    }

    private static List<String> names(List<RunResults.Result> results, Verdict.Status... statuses) {
        List<Verdict.Status> wanted = List.of(statuses);
        return results.stream().filter(r -> wanted.contains(r.status())).map(RunResults.Result::name).toList();
    }

    /** Gateway API's wording: "Core tests succeeded. Extended tests failed with 1 test failures." */
    private static String summary(Status core, Status extended) {
        String s = "Core tests " + phrase(core) + ".";
        return extended == null ? s : s + " Extended tests " + phrase(extended) + ".";
    }

    private static String phrase(Status s) {
        return switch (s.result()) {
            case Status.SUCCESS -> "succeeded";
            case Status.FAILURE -> "failed with " + s.statistics().failed() + " test failures";
            default -> "partially succeeded with " + s.statistics().skipped() + " test skips";
        };
    }

    public static String toYaml(ConformanceReport report) {
        try {
            return YAML.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConformanceReport fromYaml(String yaml) throws IOException {
        return YAML.readValue(yaml, ConformanceReport.class);
    }
}
