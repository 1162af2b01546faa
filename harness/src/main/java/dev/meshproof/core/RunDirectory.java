package dev.meshproof.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One run's output folder, {@code reports/runs/<timestamp>/} by default (git-ignored):
 * the plan, logs, the kubeconfig (mode 0600), and diagnostics on failure.
 */
public final class RunDirectory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Creates {@code base/<UTC timestamp>} (with a suffix if it exists already). */
    public static RunDirectory createUnder(Path base) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path dir = base.resolve(stamp);
        for (int i = 1; Files.exists(dir); i++) {
            dir = base.resolve(stamp + "-" + i);
        }
        return at(dir);
    }

    /** Uses exactly {@code dir} (the --out flag). */
    public static RunDirectory at(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw MeshproofException.usage("cannot create output directory " + dir + ": " + e.getMessage(),
                    "pass a writable directory with --out");
        }
        return new RunDirectory(dir.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** Writes a file readable and writable by the owner only (0600): kubeconfigs and anything holding credentials. */
    public Path writePrivate(String relative, String content) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public Path write(String relative, String content) {
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
