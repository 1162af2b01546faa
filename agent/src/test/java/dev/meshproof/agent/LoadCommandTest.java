package dev.meshproof.agent;

import dev.meshproof.agent.load.LoadMain;
import dev.meshproof.agent.load.LoadResult;
import dev.meshproof.agent.load.LoadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code AgentMain load}: the load engine through the agent's (the image's) entrypoint. */
class LoadCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter err, String... args) {
        var cli = AgentMain.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void missingOutIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "load", "--spec", "x.json")).isEqualTo(2);
        assertThat(err.toString()).contains("error: Missing required option: '--out=DIR'");
    }

    @Test
    void anUnreadableSpecExitsTwoNamingTheFile() {
        StringWriter err = new StringWriter();
        Path missing = dir.resolve("no-such-spec.json");
        // LoadMain reports on System.err, as it does when run directly
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = run(err, "load", "--spec", missing.toString(), "--out", dir.resolve("out").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(captured.toString()).contains("error: cannot read load spec " + missing);
    }

    @Test
    void aRunThroughTheAgentEntrypointWritesItsResult() throws Exception {
        // a separate JVM, as in a pod: Gatling's entry point stops Logback and keeps global state
        try (LocalAgent agent = LocalAgent.start()) {
            LoadSpec spec = LoadSpec.of(URI.create(agent.echoUrl("/echo")), 50, Duration.ofSeconds(2), 2)
                    .withWarmup(Duration.ofSeconds(1)).withProgressEvery(Duration.ofSeconds(1)).withLabel("agent-load");
            Path specFile = dir.resolve("spec.json");
            LoadMain.writeSpec(spec, specFile);
            Path out = dir.resolve("run");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dgatling.data.enableAnalytics=false",
                    "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                    "load", "--spec", specFile.toString(), "--out", out.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent-load.log").toFile()).start();
            boolean ended = p.waitFor(90, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            List<String> log = Files.readAllLines(dir.resolve("agent-load.log"));
            assertThat(ended).as("ended within 90 s; log: %s", log).isTrue();
            assertThat(p.exitValue()).as("exit code; log: %s", log).isZero();
            assertThat(log).anyMatch(l -> l.startsWith(LoadMain.PROGRESS_PREFIX));
            LoadResult r = LoadMain.readResult(out.resolve(LoadMain.RESULT_FILE));
            assertThat(r.sent()).isEqualTo(100);
            assertThat(r.errors()).isZero();
            assertThat(r.latencyHistogram().getTotalCount()).isEqualTo(100);
        }
    }
}
