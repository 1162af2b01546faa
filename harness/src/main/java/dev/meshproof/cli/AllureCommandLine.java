package dev.meshproof.cli;

import dev.meshproof.core.Executables;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.report.AllureResults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Allure's own command line, which turns {@code allure-results/} into Allure's HTML report ({@code allure generate});
 * Meshproof does not ship it. It is the npm package {@code allure-commandline} (which needs a Java runtime), found
 * on {@code PATH} as {@code allure}.
 */
final class AllureCommandLine {
    static final String EXECUTABLE = "allure";
    static final String REPORT = "allure-report";
    static final String INSTALL_HINT = "install Allure's command line (npm install -g allure-commandline; it runs on Java), or generate it yourself: "
            + "allure generate RUN_DIR/" + AllureResults.DIRECTORY + " -o RUN_DIR/" + REPORT;
    private static final long BOUND_MINUTES = 10;

    private AllureCommandLine() {
    }

    /**
     * Runs {@code allure generate --clean -o RUN_DIR/allure-report RUN_DIR/allure-results}; returns the report's directory.
     *
     * @throws MeshproofException (environment, exit 3) when there is no {@code allure} on PATH or it fails
     */
    static Path generate(Path run, String path) {
        Path allure = Executables.onPath(EXECUTABLE, path).orElseThrow(() -> MeshproofException.environment(
                "--allure: the allure command is not on PATH; " + AllureResults.DIRECTORY + "/ is written, Allure's HTML report is not", INSTALL_HINT, null));
        Path report = run.resolve(REPORT);
        Path output = run.resolve("allure-generate.log");
        List<String> command = List.of(allure.toString(), "generate", "--clean", "-o", report.toString(), run.resolve(AllureResults.DIRECTORY).toString());
        Process p = null;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(BOUND_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw MeshproofException.environment(allure + " generate did not finish within " + BOUND_MINUTES + " minutes", "see " + output, null);
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
                throw MeshproofException.environment(allure + " generate exited " + p.exitValue()
                        + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1)), "its whole output is in " + output, null);
            }
            return report;
        } catch (IOException e) {
            throw MeshproofException.environment("cannot run " + allure + ": " + e.getMessage(), INSTALL_HINT, e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw MeshproofException.environment(allure + " generate was interrupted", null, e);
        }
    }
}
