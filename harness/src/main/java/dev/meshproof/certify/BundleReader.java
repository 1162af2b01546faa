package dev.meshproof.certify;

import dev.meshproof.core.MeshproofException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unpacks a bundle into a directory for validation. Anything that is not a gzip'd tar of plain files inside the
 * directory (an entry with {@code ..}, an absolute path, a link), or has no readable manifest, is unreadable input
 * (exit 2): nothing about the run can be said from it.
 */
final class BundleReader {
    private BundleReader() {
    }

    static BundleManifest unpack(Path bundle, Path into) {
        if (!Files.isRegularFile(bundle)) {
            throw unreadable(bundle, "no such file");
        }
        try (InputStream in = Files.newInputStream(bundle); TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.isDirectory()) {
                    continue;
                }
                Path target = into.resolve(e.getName()).normalize();
                if (!e.isFile() || !target.startsWith(into) || e.getName().startsWith("/")) {
                    throw unreadable(bundle, "entry '" + e.getName() + "' is not a plain file inside the bundle");
                }
                Files.createDirectories(target.getParent());
                Files.copy(tar, target);
            }
        } catch (IOException e) {
            throw unreadable(bundle, "not a gzip'd tar (" + e.getMessage() + ")");
        }
        Path manifest = into.resolve(BundleManifest.FILE);
        if (!Files.exists(manifest)) {
            throw unreadable(bundle, "no " + BundleManifest.FILE);
        }
        try {
            BundleManifest m = BundleManifest.JSON.readValue(manifest.toFile(), BundleManifest.class);
            if (!BundleManifest.FORMAT.equals(m.format()) || m.files() == null) {
                throw unreadable(bundle, BundleManifest.FILE + " is not a " + BundleManifest.FORMAT + " manifest");
            }
            return m;
        } catch (IOException e) {
            throw unreadable(bundle, BundleManifest.FILE + " does not parse: " + e.getMessage());
        }
    }

    private static MeshproofException unreadable(Path bundle, String why) {
        return MeshproofException.usage("cannot read bundle " + bundle + ": " + why, "pass a .tar.gz written by `meshproof bundle RUN_DIR`");
    }
}
