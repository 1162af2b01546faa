package dev.meshproof.certify;

import dev.meshproof.core.FileTrees;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import dev.meshproof.report.AllureResults;
import dev.meshproof.report.CertificationReports;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code meshproof bundle RUN_DIR}: one {@code .tar.gz} a vendor hands to a reviewer, holding the run directory under
 * {@code run/} (evidence, verdicts, reports, logs, plan), {@code fingerprint.json} ({@link EnvironmentFingerprint}) and
 * {@code manifest.json} ({@link BundleManifest}: the SHA-256 of every other file). {@code kubeconfig.yaml} never
 * enters it, and every file is scanned for credentials first: one found refuses the bundle, naming the file.
 */
public final class Bundle {
    /** Where the run directory's files go in the bundle. */
    static final String RUN = "run/";
    private static final List<String> NEVER = List.of("kubeconfig.yaml");

    private Bundle() {
    }

    /**
     * Writes the bundle of {@code run} to {@code out}; the reports are written first if the run has none.
     *
     * @throws MeshproofException (usage, exit 2) naming the file when a credential is found
     */
    public static Path write(Path run, Path out, Versions versions) {
        if (!Files.exists(run.resolve(CertificationReports.CONFORMANCE)) || !Files.exists(run.resolve(CertificationReports.HTML))
                || !Files.exists(run.resolve(CertificationReports.JUNIT))) {
            CertificationReports.write(run, versions);
        }
        List<Path> files = files(run, out);
        // Allure's attachments copy evidence files: a credential is named where the run recorded it, not in its copy
        Path attachments = run.resolve(AllureResults.DIRECTORY);
        for (Path f : files.stream().sorted(Comparator.comparing((Path f) -> f.startsWith(attachments))).toList()) {
            CredentialScan.scan(f).ifPresent(found -> {
                throw MeshproofException.usage("refusing to bundle: " + found.file() + " holds " + found.what(),
                        "remove the credential from the file (or the file from the run directory) and bundle again; credentials never leave in a bundle");
            });
        }
        try {
            Path staging = Files.createTempDirectory("meshproof-bundle");
            try {
                Path fingerprint = staging.resolve(EnvironmentFingerprint.FILE);
                BundleManifest.JSON.writeValue(fingerprint.toFile(), EnvironmentFingerprint.of(run));
                List<BundleManifest.Entry> entries = new ArrayList<>();
                entries.add(new BundleManifest.Entry(EnvironmentFingerprint.FILE, BundleManifest.sha256(fingerprint), Files.size(fingerprint)));
                for (Path f : files) {
                    entries.add(new BundleManifest.Entry(RUN + relative(run, f), BundleManifest.sha256(f), Files.size(f)));
                }
                Path manifest = staging.resolve(BundleManifest.FILE);
                BundleManifest.JSON.writeValue(manifest.toFile(),
                        new BundleManifest(BundleManifest.FORMAT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), entries));
                Files.createDirectories(out.toAbsolutePath().getParent());
                try (OutputStream o = Files.newOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(o))) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    add(tar, manifest, BundleManifest.FILE);
                    add(tar, fingerprint, EnvironmentFingerprint.FILE);
                    for (Path f : files) {
                        add(tar, f, RUN + relative(run, f));
                    }
                }
                return out;
            } finally {
                FileTrees.delete(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** Every regular file of the run but the kubeconfig and the bundle itself, sorted. */
    private static List<Path> files(Path run, Path out) {
        Path self = out.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(run)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> !NEVER.contains(f.getFileName().toString()))
                    .filter(f -> !f.toAbsolutePath().normalize().equals(self))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run, e);
        }
    }

    private static String relative(Path run, Path f) {
        return run.relativize(f).toString().replace('\\', '/');
    }

    private static void add(TarArchiveOutputStream tar, Path file, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(file.toFile(), name);
        e.setUserName("");
        e.setGroupName("");
        tar.putArchiveEntry(e);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }
}
