package dev.meshproof.cli;

import dev.meshproof.core.MeshproofException;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** The RUN_DIR argument of the commands that read a finished run offline (verdict, report, bundle). */
final class RunDirArgument {
    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by `meshproof run`.")
    Path runDir;

    /** The directory; exit 2 when there is none. */
    Path existing() {
        if (!Files.isDirectory(runDir)) {
            throw MeshproofException.usage("run directory not found: " + runDir, "pass the directory `meshproof run` reported (reports/runs/<timestamp>)");
        }
        return runDir;
    }
}
