package dev.meshproof.cli;

import dev.meshproof.core.Executables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every workflow in .github/workflows/ passes {@code action-validator} (npm {@code @action-validator/cli} 0.6.0, which
 * checks a workflow against SchemaStore's GitHub workflow schema), and a malformed one does not. The validator is
 * the one .ci/run installed ({@value #ENV}), else the one in the user's cache, else npm installs it there; without
 * npm the test is skipped with one line. A validator named by {@value #ENV} that is not there fails the test: CI
 * must not skip it.
 */
class WorkflowFilesValidTest {
    static final String ENV = "MESHPROOF_ACTION_VALIDATOR";
    static final String PACKAGES = "@action-validator/cli@0.6.0 @action-validator/core@0.6.0";
    private static final Path ROOT = Path.of(System.getProperty("meshproof.repo.root", ".."));

    @TempDir
    Path tmp;

    @Test
    void everyWorkflowIsValidAndAMalformedOneIsNot() throws Exception {
        Path validator = validator();
        List<Path> workflows;
        try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
            workflows = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(workflows).extracting(f -> f.getFileName().toString()).contains("ci.yml", "nightly.yml");
        for (Path w : workflows) {
            Run r = run(validator, w);
            assertThat(r.exit()).as(w + " is not a valid workflow:\n" + r.output()).isZero();
        }
        // a step that both uses an action and runs a command: the schema allows one or the other
        Path malformed = Files.writeString(tmp.resolve("malformed.yml"), """
                name: malformed
                on: push
                jobs:
                  a:
                    runs-on: ubuntu-24.04
                    steps:
                      - uses: actions/checkout@v4
                        run: echo both
                """);
        Run bad = run(validator, malformed);
        assertThat(bad.exit()).as(bad.output()).isNotZero();
        assertThat(bad.output()).contains("/jobs/a");
    }

    record Run(int exit, String output) {
    }

    private Run run(Path validator, Path workflow) throws IOException, InterruptedException {
        Path out = tmp.resolve("validator-output.txt");
        Process p = new ProcessBuilder(validator.toString(), workflow.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(validator + " did not finish within 60 s on " + workflow);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The validator .ci/run installed, the cached one, or one npm installs into the cache now; skipped without npm. */
    private Path validator() throws IOException, InterruptedException {
        String named = System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            assertThat(Path.of(named)).as(ENV + " names the validator .ci/run installed").isExecutable();
            return Path.of(named);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("meshproof/action-validator-0.6.0");
        Path bin = cache.resolve("node_modules/.bin/action-validator");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Path npm = Executables.onPath("npm").orElse(null);
        assumeTrue(npm != null && Executables.onPath("node").isPresent(), "no node/npm on PATH: the workflow files were not validated (.ci/run installs them)");
        List<String> install = new java.util.ArrayList<>(List.of(npm.toString(), "install", "--prefix", cache.toString(), "--no-audit", "--no-fund", "--silent"));
        install.addAll(List.of(PACKAGES.split(" ")));
        Files.createDirectories(cache);
        Process p = new ProcessBuilder(install).redirectErrorStream(true).redirectOutput(tmp.resolve("npm.txt").toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assumeTrue(done && p.exitValue() == 0 && Files.isExecutable(bin), "npm could not install " + PACKAGES + " (offline?): the workflow files were not validated");
        return bin;
    }
}
