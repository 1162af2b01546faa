package dev.meshproof.agent.load;

import io.gatling.app.Gatling$;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One load run inside the current JVM: Gatling through its programmatic entry
 * {@code Gatling$.MODULE$.fromArgs} (gatling-app 3.15.1; {@code Gatling.main} would call System.exit).
 * fromArgs sets Gatling-global configuration and stops Logback when it returns, so a JVM should do
 * one run and exit: {@link LoadEngine} forks one per run ({@link LoadMain} is the forked side).
 * Needs {@code --add-opens=java.base/java.lang=ALL-UNNAMED} (Gatling's file writer).
 */
final class GatlingRun {
    static final String RESULTS_FOLDER = "gatling";
    static final String LATENCY_LOG = "latency.hlog";
    static final String LATENESS_LOG = "lateness.hlog";

    private GatlingRun() {
    }

    static LoadResult run(LoadSpec spec, Path outDir, Consumer<LoadRecorder.Interval> progress) {
        // Gatling's defaults call out to the internet (analytics, warm-up URL): switch both off before it reads its config.
        System.setProperty("gatling.data.enableAnalytics", "false");
        System.setProperty("gatling.http.warmUpUrl", "");
        System.setProperty("gatling.data.writers.0", "file"); // no console writer: progress comes from the recorder
        skipLatestReleaseCheck();
        Path gatlingDir = outDir.resolve(RESULTS_FOLDER).toAbsolutePath();
        try {
            Files.createDirectories(gatlingDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + gatlingDir, e);
        }
        GatlingFailureCapture failures = GatlingFailureCapture.install();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshproof-progress");
            t.setDaemon(true);
            return t;
        });
        try (LoadRecorder recorder = new LoadRecorder(spec, outDir.resolve(LATENCY_LOG), outDir.resolve(LATENESS_LOG));
             PauseDetector pauses = new PauseDetector()) {
            ArrivalSchedule schedule = ArrivalSchedule.of(spec);
            MeshproofSimulation.prepare(spec, schedule, recorder, failures);
            long every = spec.progressEvery().toMillis();
            long log = Math.min(every, LoadRecorder.LOG_INTERVAL.toMillis());
            ticker.scheduleAtFixedRate(recorder::logInterval, log, log, TimeUnit.MILLISECONDS);
            ticker.scheduleAtFixedRate(() -> progress.accept(recorder.summary()), every, every, TimeUnit.MILLISECONDS);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                    "--simulation", MeshproofSimulation.class.getName(),
                    "--results-folder", gatlingDir.toString(),
                    "--run-description", spec.label()));
            if (!spec.gatlingReport()) {
                args.add("--no-reports"); // its requests were silent: nothing to report, and no log to parse afterwards
            }
            int status = Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
            ticker.shutdownNow();
            recorder.finish(schedule);
            recorder.interval(); // the last partial interval
            return new LoadResult(spec.label(), spec.rate(), recorder.achievedRate(), recorder.measuredSeconds(),
                    recorder.planned(), recorder.measuredSends(), recorder.completed(), recorder.unsent(),
                    recorder.inFlightAtEnd(), schedule.rebaseNanos() / 1000.0, recorder.errors(),
                    recorder.outcomeCounts(), LoadResult.encode(recorder.latencyTotal()),
                    LoadResult.encode(recorder.allLatencyTotal()), LoadResult.encode(recorder.latenessTotal()),
                    LoadResult.encode(recorder.earlinessTotal()), LoadResult.encode(recorder.serviceTimeTotal()),
                    pauses.pauses(), status,
                    reportDir(outDir, gatlingDir));
        } finally {
            ticker.shutdownNow();
        }
    }

    /**
     * Gatling asks Maven Central for its latest version (https://repo1.maven.org/.../gatling-core/maven-metadata.xml)
     * unless a recent check is stored in java.util.prefs under /io/gatling/latestVersion (gatling-commons 3.15.1
     * {@code LatestGatlingRelease}; there is no switch). A stored success is trusted for 86.4 s after its timestamp,
     * so this records "the latest release is the running one" timestamped a day ahead: valid for the whole run,
     * report generation included. {@link LoadMain} keeps that store inside the run directory. The running version
     * is read from gatling-commons' gatling-version.properties: touching {@code GatlingVersion} itself would run
     * the check (its class initialiser does).
     */
    static void skipLatestReleaseCheck() {
        try (java.io.InputStream in = GatlingRun.class.getClassLoader().getResourceAsStream("gatling-version.properties")) {
            java.util.Properties running = new java.util.Properties();
            running.load(in);
            java.util.prefs.Preferences prefs = java.util.prefs.Preferences.userRoot().node("/io/gatling/latestVersion");
            prefs.putLong("lastCheckTimestamp", System.currentTimeMillis() + java.util.concurrent.TimeUnit.DAYS.toMillis(1));
            prefs.putBoolean("lastCheckSuccess", true);
            prefs.put("latestReleaseNumber", running.getProperty("version"));
            prefs.put("latestReleaseDate", running.getProperty("release-date"));
            prefs.flush();
        } catch (java.util.prefs.BackingStoreException | IOException | RuntimeException e) {
            System.err.println("warning: cannot record Gatling's version check (" + e + "); Gatling may try Maven Central");
        }
    }

    /** Gatling writes to {@code <results-folder>/<simulation>-<timestamp>/}; the newest one with an index.html is this run's. */
    private static String reportDir(Path outDir, Path gatlingDir) {
        try (Stream<Path> dirs = Files.list(gatlingDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("index.html")))
                    .max(Comparator.comparing(d -> d.getFileName().toString()))
                    .map(d -> outDir.toAbsolutePath().relativize(d).toString())
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
