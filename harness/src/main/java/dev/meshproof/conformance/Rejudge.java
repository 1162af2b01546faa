package dev.meshproof.conformance;

import dev.meshproof.evidence.EvidenceDirectory;
import dev.meshproof.evidence.MalformedEvidenceException;
import dev.meshproof.verdict.CheckResult;
import dev.meshproof.verdict.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recomputes every check's verdict in a run directory from its recorded evidence alone (what
 * {@code meshproof verdict RUN_DIR} prints): for each {@code checks/<id>/<data plane>/}, the catalogue's check of
 * that id judges the files. Nothing of the recorded verdict is trusted; it is only compared with.
 */
public final class Rejudge {
    /** A recomputed verdict, next to the one the run recorded (null if none). */
    public record Rejudged(String check, String dataPlane, Verdict verdict, Verdict recorded) {
        public boolean agrees() {
            return recorded != null && recorded.status() == verdict.status();
        }
    }

    private Rejudge() {
    }

    /**
     * @throws MalformedEvidenceException naming the directory or file when there is no evidence, a check id the
     *                                    catalogue does not know, or a file that does not parse
     */
    public static List<Rejudged> runDirectory(Path run, CheckCatalog catalog) {
        Path checks = run.resolve("checks");
        if (!Files.isDirectory(checks)) {
            throw new MalformedEvidenceException(checks.toString(), "no checks/ directory: not a run directory with conformance evidence");
        }
        List<Rejudged> out = new ArrayList<>();
        for (Path checkDir : list(checks)) {
            String id = checkDir.getFileName().toString();
            ConformanceCheck check = catalog.byId(id).map(CheckCatalog.Entry::check).orElseThrow(() ->
                    new MalformedEvidenceException(checkDir.toString(), "no check with id '" + id + "' in this Meshproof (evidence from another version?)"));
            for (Path dpDir : list(checkDir)) {
                EvidenceDirectory evidence = new EvidenceDirectory(dpDir);
                Verdict verdict = check.verdict(evidence.read());
                Verdict recorded = Files.exists(dpDir.resolve(EvidenceDirectory.VERDICT))
                        ? evidence.readJson(EvidenceDirectory.VERDICT, CheckResult.class).verdict() : null;
                out.add(new Rejudged(id, dpDir.getFileName().toString(), verdict, recorded));
            }
        }
        if (out.isEmpty()) {
            throw new MalformedEvidenceException(checks.toString(), "holds no check evidence");
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
