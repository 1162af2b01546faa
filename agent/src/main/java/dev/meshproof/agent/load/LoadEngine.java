package dev.meshproof.agent.load;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link LoadSpec} and returns what it measured. Each run gets a fresh JVM (Gatling 3.15's entry point,
 * Gatling$.fromArgs, leaves global state behind and stops Logback), started from the current
 * classpath with a fixed heap so heap growth does not pause the run.
 * <pre>{@code
 * LoadResult r = LoadEngine.forked().run(LoadSpec.of(URI.create("http://127.0.0.1:8080/"), 200, Duration.ofSeconds(10), 4),
 *                                        outDir, interval -> System.err.println(interval));
 * Histogram ns = r.latencyHistogram();
 * }</pre>
 */
public final class LoadEngine {
    /** How long the fork may take beyond the load itself: JVM start, Gatling start, report generation. */
    static final Duration OVERHEAD = Duration.ofSeconds(90);
    private final List<String> jvmOptions;

    private LoadEngine(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The default engine: one JVM per run with {@link #engineJvmFlags()}, the same flags a client pod's engine gets.
     */
    public static LoadEngine forked() {
        return new LoadEngine(List.of());
    }

    /** The engine JVM's fixed heap, here and in a client pod (fixtures/workloads/agent-client.yaml leaves room for it). */
    public static final String HEAP = "512m";

    /**
     * The JVM options of every engine JVM, wherever it runs (forked here, or exec'd in a client pod), so a mode measured
     * in a pod is measured by the same engine as a local run: a fixed, pre-touched {@value #HEAP} heap (no heap growth
     * or first-touch page faults inside the measured window); G1 named explicitly, because JVM ergonomics picks the
     * Serial collector on a machine it does not consider server-class (fewer than 2 CPUs or under 1792 MB, as a pod's
     * limits often say: JDK 17 {@code os::is_server_class_machine}), and the parallel collector paused longer on a
     * starved CPU here (31-41 ms JVM hiccups vs 9-16 ms for G1 at 16-28k rps); the inlining limits Gatling's own
     * launchers set for its Scala code ({@code -XX:MaxInlineLevel=20 -XX:MaxTrivialSize=12},
     * gatling-enterprise-plugin-commons); the add-opens its file writer needs (Gatling 3.15: java.base/java.lang must
     * be open); headless; no analytics.
     */
    public static List<String> engineJvmFlags() {
        return List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch", "-XX:+UseG1GC",
                "-XX:MaxInlineLevel=20", "-XX:MaxTrivialSize=12", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-Dgatling.data.enableAnalytics=false");
    }

    /** Thrown when a run could not produce a result (the target's errors are results, not this). */
    /** How long the engine gets to stop after SIGTERM before it is killed. */
    static final int STOP_SECONDS = 3;

    public static final class LoadRunException extends RuntimeException {
        LoadRunException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs one spec, writing everything under {@code outDir}; {@code progress} gets an interval summary
     * every {@link LoadSpec#progressEvery()}.
     */
    public LoadResult run(LoadSpec spec, Path outDir, Consumer<LoadRecorder.Interval> progress) {
        try {
            Files.createDirectories(outDir);
            Path specFile = outDir.resolve("spec.json");
            LoadMain.writeSpec(spec, specFile);
            Path log = outDir.resolve("engine.log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(engineJvmFlags());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(LoadMain.class.getName());
            command.add("--spec");
            command.add(specFile.toString());
            command.add("--out");
            command.add(outDir.toString());
            command.add(LoadMain.EXIT_WITH_PARENT);
            // stdin stays a pipe the engine watches: if this JVM dies (even SIGKILL) the engine stops at once
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Thread stopOnExit = stopOnShutdown(process, spec.label());
            Thread reader = relay(process, log, progress);
            Duration limit = spec.runLimit().plus(OVERHEAD);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                removeShutdownHook(stopOnExit);
                throw new LoadRunException("load run '" + spec.label() + "' did not finish within " + limit.toSeconds()
                        + "s; see " + log, null);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            removeShutdownHook(stopOnExit);
            Path result = outDir.resolve(LoadMain.RESULT_FILE);
            if (process.exitValue() != 0 || !Files.isRegularFile(result)) {
                throw new LoadRunException("load run '" + spec.label() + "' failed (exit " + process.exitValue() + "): "
                        + lastLines(log, 3) + "; full log: " + log, null);
            }
            return LoadMain.readResult(result);
        } catch (IOException e) {
            throw new UncheckedIOException("load run '" + spec.label() + "' failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadRunException("interrupted while running '" + spec.label() + "'", e);
        }
    }

    /**
     * SIGTERM, SIGINT, SIGHUP or any other JVM shutdown stops the forked engine within {@value #STOP_SECONDS} s
     * (then forcibly), so no load outlives the harness.
     */
    private static Thread stopOnShutdown(Process process, String label) {
        Thread hook = new Thread(() -> {
            if (!process.isAlive()) {
                return;
            }
            System.err.println("    stopping the load engine of '" + label + "' (pid " + process.pid() + ")");
            process.destroy();
            try {
                if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }, "meshproof-stop-load-engine");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the engine
        }
    }

    /** Progress lines go to the callback; everything else the fork prints (Gatling's console) goes to the log. */
    private static Thread relay(Process process, Path log, Consumer<LoadRecorder.Interval> progress) {
        ObjectMapper json = LoadMain.JSON;
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(LoadMain.PROGRESS_PREFIX)) {
                        progress.accept(json.readValue(line.substring(LoadMain.PROGRESS_PREFIX.length()), LoadRecorder.Interval.class));
                    } else {
                        out.println(line);
                    }
                }
            } catch (IOException e) {
                // the process ended or the log is unwritable; the exit status tells the caller what happened
            }
        }, "meshproof-load-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String lastLines(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
