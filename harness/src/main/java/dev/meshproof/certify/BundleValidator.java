package dev.meshproof.certify;

import dev.meshproof.conformance.CheckCatalog;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.conformance.Level;
import dev.meshproof.conformance.Rejudge;
import dev.meshproof.core.FileTrees;
import dev.meshproof.core.Versions;
import dev.meshproof.evidence.CheckFacts;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.report.CertificationReports;
import dev.meshproof.report.ConformanceReport;
import dev.meshproof.report.ConformanceReports;
import dev.meshproof.report.Implementations;
import dev.meshproof.report.RunResults;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code meshproof validate BUNDLE}: what a reviewer runs on a vendor's bundle, with no cluster. It trusts nothing the
 * run wrote about itself and says, one line per violation:
 * <ul>
 *   <li><b>integrity</b>: every file's SHA-256 against the manifest (a changed byte names the file), none missing, none added;</li>
 *   <li><b>completeness</b>: every core check of this Meshproof's catalogue is present, and not skipped, for each data plane the run claims;</li>
 *   <li><b>re-derivation</b>: every verdict recomputed from the bundled evidence with this Meshproof's verdict functions
 *       ({@link Rejudge}); a recorded verdict (verdict.json, summary.json) or a ConformanceReport figure the evidence does not give is a violation;</li>
 *   <li><b>consistency</b>: the implementation the ConformanceReport names is the one declared for the run, and when it is Istio's
 *       project, its version is the one every check's context.json and summary.json recorded.</li>
 * </ul>
 */
public final class BundleValidator {
    /** The outcome: valid when there is no violation. */
    public record Result(List<String> violations, int files, int verdicts) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private final CheckCatalog catalog;
    private final Versions versions;

    public BundleValidator(CheckCatalog catalog, Versions versions) {
        this.catalog = catalog;
        this.versions = versions;
    }

    /** @throws dev.meshproof.core.MeshproofException (usage, exit 2) when the bundle cannot be read at all */
    public Result validate(Path bundle) {
        Path dir;
        try {
            dir = Files.createTempDirectory("meshproof-validate").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            BundleManifest manifest = BundleReader.unpack(bundle, dir);
            List<String> violations = new ArrayList<>(integrity(manifest, dir));
            Path run = dir.resolve(Bundle.RUN);
            int verdicts = 0;
            try {
                RunResults claimed = RunResults.read(run);
                List<Rejudge.Rejudged> rejudged = Rejudge.runDirectory(run, catalog);
                verdicts = rejudged.size();
                violations.addAll(rederivation(claimed, rejudged, run));
                violations.addAll(completeness(claimed, rejudged));
                violations.addAll(consistency(run));
            } catch (MalformedEvidenceException e) {
                violations.add("evidence: " + e.getMessage());
            }
            return new Result(violations, manifest.files().size(), verdicts);
        } finally {
            try {
                FileTrees.delete(dir);
            } catch (IOException ignored) {
                // a temporary directory left behind is not the reviewer's problem
            }
        }
    }

    private static List<String> integrity(BundleManifest manifest, Path dir) {
        List<String> out = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (BundleManifest.Entry e : manifest.files()) {
            listed.add(e.path());
            Path f = dir.resolve(e.path()).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                out.add("integrity: " + e.path() + " is listed in the manifest but not in the bundle");
            } else if (!BundleManifest.sha256(f).equals(e.sha256())) {
                out.add("integrity: " + e.path() + " changed after bundling (sha256 " + BundleManifest.sha256(f) + ", manifest says " + e.sha256() + ")");
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals(BundleManifest.FILE) && !listed.contains(p)).sorted()
                    .forEach(p -> out.add("integrity: " + p + " is not in the manifest"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private List<String> rederivation(RunResults claimed, List<Rejudge.Rejudged> rejudged, Path run) {
        List<String> out = new ArrayList<>();
        Map<String, RunResults.Result> claimedByName = claimed.results().stream()
                .collect(Collectors.toMap(RunResults.Result::name, Function.identity(), (a, b) -> a));
        List<RunResults.Result> recomputed = new ArrayList<>();
        for (Rejudge.Rejudged r : rejudged) {
            String name = r.check() + "[" + r.dataPlane() + "]";
            Verdict.Status evidence = r.verdict().status();
            if (r.recorded() != null && r.recorded().status() != evidence) {
                out.add("re-derivation: " + name + ": verdict.json claims " + r.recorded().status() + ", the evidence gives " + evidence + " (" + first(r.verdict()) + ")");
            }
            RunResults.Result c = claimedByName.get(name);
            if (c != null && c.status() != evidence && (r.recorded() == null || r.recorded().status() != c.status())) {
                out.add("re-derivation: " + name + ": summary.json claims " + c.status() + ", the evidence gives " + evidence);
            }
            CheckResult base = c != null ? c.check() : new CheckResult(r.check(), r.dataPlane(), level(r.check()), "", r.verdict(), 0);
            recomputed.add(new RunResults.Result(new CheckResult(base.check(), r.dataPlane(), level(r.check()), base.proves(), r.verdict(), base.seconds()),
                    Map.of(), List.of()));
        }
        claimed.results().stream().filter(c -> c.check().dataPlane() == null).forEach(recomputed::add); // skipped before a data plane: no evidence to judge
        out.addAll(reportFigures(run, new RunResults(run, recomputed, claimed.istioVersion(), claimed.meshMode(), claimed.cluster(), claimed.started(),
                claimed.implementation())));
        return out;
    }

    /** The ConformanceReport's results, statistics and test lists against those of the recomputed verdicts. */
    private List<String> reportFigures(Path run, RunResults recomputed) {
        ConformanceReport report = claimedReport(run);
        if (report == null) {
            return List.of("re-derivation: " + CertificationReports.CONFORMANCE + " is missing or does not parse");
        }
        ConformanceReport expected = ConformanceReports.of(recomputed, versions, Instant.EPOCH);
        List<String> out = new ArrayList<>();
        for (ConformanceReport.ProfileReport want : expected.profiles()) {
            ConformanceReport.ProfileReport got = report.profiles() == null ? null
                    : report.profiles().stream().filter(p -> want.name().equals(p.name())).findFirst().orElse(null);
            if (got == null) {
                out.add("re-derivation: " + CertificationReports.CONFORMANCE + " has no profile " + want.name());
                continue;
            }
            compare(out, want.name() + " core", got.core(), want.core());
            compare(out, want.name() + " extended", got.extended(), want.extended());
        }
        return out;
    }

    private static void compare(List<String> out, String what, ConformanceReport.Status got, ConformanceReport.Status want) {
        if (want == null) {
            return;
        }
        if (got == null || !Objects.equals(got.result(), want.result()) || !Objects.equals(got.statistics(), want.statistics())
                || !Objects.equals(set(got.failedTests()), set(want.failedTests()))) {
            out.add("re-derivation: " + CertificationReports.CONFORMANCE + " " + what + " claims " + describe(got) + "; the evidence gives " + describe(want));
        }
    }

    private static String describe(ConformanceReport.Status s) {
        if (s == null) {
            return "nothing";
        }
        ConformanceReport.Statistics st = s.statistics();
        return s.result() + " (Passed " + (st == null ? "-" : st.passed()) + ", Failed " + (st == null ? "-" : st.failed())
                + ", failedTests " + (s.failedTests() == null ? List.of() : s.failedTests()) + ")";
    }

    private List<String> completeness(RunResults claimed, List<Rejudge.Rejudged> rejudged) {
        Set<String> planes = new LinkedHashSet<>();
        claimed.results().stream().map(r -> r.check().dataPlane()).filter(Objects::nonNull).forEach(planes::add);
        rejudged.forEach(r -> planes.add(r.dataPlane()));
        String mode = claimed.meshMode() == null ? "" : claimed.meshMode();
        if (mode.equals("ambient") || mode.equals("hybrid")) {
            planes.add(DataPlane.AMBIENT.id());
        }
        if (mode.equals("sidecar") || mode.equals("hybrid")) {
            planes.add(DataPlane.SIDECAR.id());
        }
        List<String> out = new ArrayList<>();
        for (CheckCatalog.Entry e : catalog.all()) {
            if (e.level() != Level.CORE) {
                continue;
            }
            for (DataPlane dp : e.dataPlanes()) {
                if (!planes.contains(dp.id())) {
                    continue;
                }
                Rejudge.Rejudged r = rejudged.stream().filter(x -> x.check().equals(e.id()) && x.dataPlane().equals(dp.id())).findFirst().orElse(null);
                if (r == null) {
                    out.add("completeness: core check " + e.id() + " [" + dp.id() + "] is not in the bundle (the run claims the " + dp.id() + " data plane)");
                } else if (r.verdict().status() == Verdict.Status.SKIPPED) {
                    out.add("completeness: core check " + e.id() + " [" + dp.id() + "] was skipped");
                }
            }
        }
        return out;
    }

    /**
     * The implementation the report names is the one declared for the run ({@link Implementations}); when that is
     * Istio's own project, its version is the Istio version the run recorded everywhere.
     */
    private static List<String> consistency(Path run) {
        ConformanceReport report = claimedReport(run);
        if (report == null || report.implementation() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ConformanceReport.Implementation declared = Implementations.declared(run);
        if (declared != null && !declared.equals(report.implementation())) {
            out.add("consistency: " + CertificationReports.CONFORMANCE + " names the implementation " + describe(report.implementation()) + ", "
                    + Implementations.FILE + " declared " + describe(declared));
        }
        if (!Implementations.isIstio(report.implementation())) {
            return out; // a vendor's own version: the fingerprint shows which Istio it ran
        }
        String claimed = report.implementation().version();
        EnvironmentFingerprint fp = EnvironmentFingerprint.of(run);
        if (fp.istioVersion() != null && !fp.istioVersion().equals(claimed)) {
            out.add("consistency: " + CertificationReports.CONFORMANCE + " names Istio " + claimed + ", summary.json recorded " + fp.istioVersion());
        }
        for (Path dir : RunResults.evidenceDirectories(run)) {
            CheckFacts facts = EnvironmentFingerprint.context(dir);
            if (facts != null && !Objects.equals(facts.istioVersion(), claimed)) {
                out.add("consistency: " + CertificationReports.CONFORMANCE + " names Istio " + claimed + ", " + run.relativize(dir) + "/context.json recorded "
                        + facts.istioVersion());
            }
        }
        return out;
    }

    private static String describe(ConformanceReport.Implementation i) {
        return i.organization() + "/" + i.project() + " " + i.version() + " (" + i.url() + ", contact " + i.contact() + ")";
    }

    private static ConformanceReport claimedReport(Path run) {
        try {
            return ConformanceReports.fromYaml(Files.readString(run.resolve(CertificationReports.CONFORMANCE)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String level(String checkId) {
        return catalog.byId(checkId).map(e -> e.level().id()).orElse("core");
    }

    private static Set<String> set(List<String> l) {
        return l == null ? Set.of() : new HashSet<>(l);
    }

    private static String first(Verdict v) {
        return v.reasons().isEmpty() ? "no reason" : v.reasons().get(0);
    }
}
