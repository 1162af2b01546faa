package dev.meshproof.agent.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of one load run in its own JVM: {@code LoadMain --spec spec.json --out DIR}.
 * Writes {@code DIR/result.json}, the HdrHistogram logs and, when the spec asks for it ({@link LoadSpec#gatlingReport()}),
 * Gatling's report under {@code DIR/gatling/};
 * prints one {@value #PROGRESS_PREFIX} JSON line per progress interval on stdout (anything else on
 * stdout is Gatling's and may be ignored). Exit 0 when the run completed (even with request errors),
 * 2 for bad arguments, 4 when the run itself failed.
 * <p>
 * The agent image's entrypoint runs the same with {@code AgentMain load --spec F --out D}.
 */
public final class LoadMain {
    public static final String PROGRESS_PREFIX = "MESHPROOF-PROGRESS ";
    public static final String RESULT_FILE = "result.json";
    static final ObjectMapper JSON = new ObjectMapper();

    private LoadMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Starts the watch on the parent's stream (see {@link #EXIT_WITH_PARENT}); {@code gone} runs at its end. */
    static Thread exitWithParent(java.io.InputStream parent, Runnable gone) {
        Thread t = new Thread(() -> {
            try {
                while (parent.read() != -1) {
                    // the parent writes nothing; anything read is ignored
                }
            } catch (IOException e) {
                // a broken stream is a gone parent too
            }
            gone.run();
        }, "meshproof-parent-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Makes this process stop sending load when the process that started it goes away: with
     * {@value #EXIT_WITH_PARENT}, a daemon thread reads standard input, which the parent holds open (a pipe from
     * {@link LoadEngine}, the exec stream from the harness in a pod) and never writes; end of input means the parent
     * died or was stopped, even by SIGKILL, and the run ends at once (exit 143, as for SIGTERM).
     */
    public static final String EXIT_WITH_PARENT = "--exit-with-parent";

    /** Runs one load run with {@code --spec F --out D [--exit-with-parent]}; returns the exit code (also used by {@code AgentMain load}). */
    public static int run(String[] args) {
        if (java.util.Arrays.asList(args).contains(EXIT_WITH_PARENT)) {
            args = java.util.Arrays.stream(args).filter(a -> !a.equals(EXIT_WITH_PARENT)).toArray(String[]::new);
            exitWithParent(System.in, () -> {
                System.err.println("the process that started this load run is gone: stopping the load now");
                Runtime.getRuntime().halt(143);
            });
        }
        Path spec = null;
        Path out = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--spec" -> spec = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> {
                    System.err.println("error: unknown argument " + args[i]);
                    return 2;
                }
            }
        }
        if (spec == null || out == null || args.length % 2 != 0) {
            System.err.println("usage: LoadMain --spec SPEC.json --out DIR [" + EXIT_WITH_PARENT + "]");
            return 2;
        }
        LoadSpec loadSpec;
        try {
            loadSpec = readSpec(spec);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot read load spec " + spec + ": " + e.getMessage());
            return 2;
        }
        try {
            Files.createDirectories(out);
            // Gatling keeps its "latest release" check in java.util.prefs; keep that store inside the run directory
            // (the pod's root filesystem is read-only, and the user's own preferences stay untouched)
            if (System.getProperty("java.util.prefs.userRoot") == null) {
                System.setProperty("java.util.prefs.userRoot", out.resolve(".java-prefs").toAbsolutePath().toString());
            }
            LoadResult result = GatlingRun.run(loadSpec, out, interval -> {
                try {
                    System.out.println(PROGRESS_PREFIX + JSON.writeValueAsString(interval));
                    System.out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(RESULT_FILE).toFile(), result);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("error: load run failed: " + e);
            e.printStackTrace(System.err);
            return 4;
        }
    }

    static LoadSpec readSpec(Path file) throws IOException {
        return SpecJson.fromMap(JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {
        }));
    }

    /** Writes a spec as the --spec file this entry point reads. */
    public static void writeSpec(LoadSpec spec, Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), SpecJson.toMap(spec));
    }

    /** Reads a result.json written by a run (here, or copied out of a client pod). */
    public static LoadResult readResult(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LoadResult.class);
    }
}
