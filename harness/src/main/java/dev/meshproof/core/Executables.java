package dev.meshproof.core;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding a command the way a shell does, in the directories of a PATH value (for tools Meshproof runs but does not ship). */
public final class Executables {
    private Executables() {
    }

    /** {@code name} in the first of {@code path}'s directories that has it as an executable file. */
    public static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code name} on this process's PATH. */
    public static Optional<Path> onPath(String name) {
        return onPath(name, System.getenv("PATH"));
    }
}
