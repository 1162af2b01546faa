package dev.meshproof.cli;

import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.ThisMachinesDocker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `meshproof cluster up` as a separate JVM with the CLI's own logging configuration, capturing everything it writes
 * to stderr: in-process tests cannot see library loggers (Testcontainers, docker-java) that print multi-line errors
 * and stack traces behind the one-line message. Uses this machine's real Docker situation; the image is on a closed
 * 127.0.0.1 port, so nothing is pulled and nothing leaves loopback.
 */
class LauncherOutputTest {
    static final DockerEngine.Status docker = ThisMachinesDocker.status();
    @TempDir
    Path tmp;

    record Run(int exit, List<String> stderr, long millis) {
    }

    Run clusterUp() throws IOException, InterruptedException {
        Path logback = Path.of(System.getProperty("meshproof.repo.root", ".."), "harness/src/main/resources/logback.xml");
        assertThat(logback).exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + logback.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "dev.meshproof.cli.Main",
                "cluster", "up", "--k3s-image", "127.0.0.1:1/meshproof/absent:0", "--pull-timeout", "20", "--out", tmp.toString()));
        Path err = tmp.resolve("stderr.txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile())
                .redirectOutput(tmp.resolve("stdout.txt").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("meshproof cluster up did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void failureIsProgressLinesAndOneErrorLineNoLibraryNoise() throws Exception {
        Run r = clusterUp();

        assertThat(r.exit()).isEqualTo(3);
        List<String> errorLines = r.stderr().stream().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errorLines).hasSize(1);
        assertThat(errorLines.get(0)).satisfiesAnyOf(
                l -> assertThat(l).startsWith("error: no Docker engine found ("),
                l -> assertThat(l).startsWith("error: cannot pull 127.0.0.1:1/meshproof/absent:0 ("));
        // everything else is a Meshproof progress line: no logger output, no stack trace
        assertThat(r.stderr()).allSatisfy(l -> assertThat(l).matches("(error: |==> |    ).*"));
        assertThat(r.millis()).isLessThan(45_000);
        if (!docker.reachable()) {
            assertThat(r.stderr()).hasSize(1); // without Docker: exactly the one line
        }
    }
}
