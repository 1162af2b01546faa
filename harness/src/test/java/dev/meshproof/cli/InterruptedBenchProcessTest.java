package dev.meshproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `meshproof bench` stopped the way CI, a terminal or its own --timeout stops it, as a separate process against a
 * local target on 127.0.0.1: it exits with the signal's code within seconds, leaves no load engine in the process
 * table, the target sees no request afterwards, and summary.json says interrupted and where. The load runs at a low
 * rate for at most 60 s, and every process this test starts is killed when it ends.
 */
class InterruptedBenchProcessTest {
    @TempDir
    Path tmp;

    HttpServer target;
    final AtomicLong requests = new AtomicLong();
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
    }

    @AfterEach
    void stopEverything() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        target.stop(0);
    }

    private Process bench(String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.meshproof.cli.Main",
                "bench", "--target", "http://127.0.0.1:" + target.getAddress().getPort() + "/echo", "--rate", "20", "--duration", "60s",
                "--warmup", "1s", "--out", tmp.resolve("out").toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("bench.log").toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits until the engine is sending (the target has seen requests). */
    private void awaitLoad() {
        await("the engine sending (the target has seen 10 requests)").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> requests.get() >= 10);
    }

    /** The target sees no request for 2 s (the load is gone for good, not paused). */
    private void assertNoMoreRequests() {
        long after = requests.get();
        await("no request reaches the target").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> requests.get() == after);
    }

    private String log() throws IOException {
        return Files.exists(tmp.resolve("bench.log")) ? Files.readString(tmp.resolve("bench.log")) : "";
    }

    /** Every process whose command line names this test's output directory: the harness and its forked engine. */
    private List<String> meshproofProcesses() {
        String marker = tmp.resolve("out").toString();
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
    }

    private void assertStoppedCleanly(Process p, int exit) throws Exception {
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("bench exited within 20 s; log:\n" + log()).isTrue();
        assertThat(p.exitValue()).as(log()).isEqualTo(exit);
        await("no Meshproof process left (forked engine included)").atMost(Duration.ofSeconds(5))
                .until(() -> meshproofProcesses().isEmpty());
        assertNoMoreRequests();
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("out/summary.json").toFile());
        assertThat(summary.get("result").asText()).isEqualTo("interrupted");
        assertThat(summary.get("exitCode").asInt()).isEqualTo(exit);
        assertThat(summary.get("error").asText()).contains("during 'no-mesh rep 1/1'");
        assertThat(summary.get("partial").get("repetition").asText()).isEqualTo("no-mesh rep 1/1");
        assertThat(tmp.resolve("out/benchmark.json")).as("an interrupted run never reaches a gate").doesNotExist();
    }

    @Test
    void sigtermStopsTheEngineWritesInterruptedAndExits143() throws Exception {
        Process p = bench();
        awaitLoad();
        p.destroy(); // SIGTERM, as a CI cancel, timeout(1), systemd and Kubernetes send
        assertStoppedCleanly(p, 143);
        assertThat(log()).contains("interrupted by SIGTERM");
    }

    @Test
    void sigintStopsTheEngineAndExits130() throws Exception {
        Process p = bench();
        awaitLoad();
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        assertStoppedCleanly(p, 130);
    }

    @Test
    void aSecondCtrlCWhileCleaningUpSaysWhatIsPendingAndStillEndsCleanly() throws Exception {
        Process p = bench();
        awaitLoad();
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(200); // the gap between the two signals IS the behaviour under test: sent together, signals coalesce
        boolean stillCleaning = p.isAlive();
        if (stillCleaning) {
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        }
        assertStoppedCleanly(p, 130);
        org.junit.jupiter.api.Assumptions.assumeTrue(stillCleaning, "the cleanup finished within 0.2 s: no second signal to test");
        assertThat(log()).contains("interrupted by SIGINT (Ctrl-C)").contains("still cleaning up: ")
                .contains("forcing the exit in " + dev.meshproof.core.Interruption.FORCE_SECONDS + "s");
    }

    @Test
    void timeoutEndsTheRunTheSameWayWith124() throws Exception {
        Process p = bench("--timeout", "15s"); // whether the engine is sending yet or still starting on a busy machine
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ended by its own timeout; log:\n" + log()).isTrue();
        assertStoppedCleanly(p, 124);
        assertThat(log()).contains("interrupted by --timeout");
    }

    @Test
    void aKilledHarnessLeavesNoEngineSendingLoad() throws Exception {
        Process p = bench();
        awaitLoad();
        new ProcessBuilder("kill", "-KILL", String.valueOf(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        await("the forked engine saw its parent go (stdin closed) and stopped").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> meshproofProcesses().isEmpty());
        assertNoMoreRequests();
    }
}
