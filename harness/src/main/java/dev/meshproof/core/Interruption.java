package dev.meshproof.core;

import sun.misc.Signal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A run ended early: by a signal — SIGINT (Ctrl-C), SIGTERM (a CI job's cancel, {@code timeout}, systemd, Kubernetes),
 * SIGHUP (the terminal went away) — or by the run's own {@code --timeout}.
 *
 * <p>The first one: say so, let the command record it ({@link #onInterrupt}: the summary is written with the state
 * {@code interrupted} and the step it was in), then exit with 128 + the signal's number (124 for the time-out, as
 * GNU {@code timeout}), which runs every cleanup (each {@link Scope}'s shutdown hook: containers, namespaces,
 * port-forwards, the mesh; the load engine's own hooks). A second one while that runs: say what is still being
 * cleaned, and force the exit after {@value #FORCE_SECONDS} s, printing what may be left and how to remove it.
 */
public final class Interruption {
    /** How long a second signal waits for the cleanups before the JVM is halted. */
    public static final int FORCE_SECONDS = 10;

    public enum Cause {
        SIGINT(ExitCode.INTERRUPTED, "SIGINT (Ctrl-C)"),
        SIGTERM(ExitCode.TERMINATED, "SIGTERM"),
        SIGHUP(ExitCode.HANGUP, "SIGHUP"),
        TIMEOUT(ExitCode.TIMED_OUT, "--timeout");

        private final ExitCode exitCode;
        private final String description;

        Cause(ExitCode exitCode, String description) {
            this.exitCode = exitCode;
            this.description = description;
        }

        public ExitCode exitCode() {
            return exitCode;
        }

        public String description() {
            return description;
        }
    }

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicReference<Cause> CAUSE = new AtomicReference<>();
    private static final List<Consumer<Cause>> LISTENERS = new CopyOnWriteArrayList<>();
    /** What ends the JVM after the first interruption: System.exit, whose shutdown hooks run every cleanup. */
    private static volatile java.util.function.IntConsumer exit = System::exit;

    private Interruption() {
    }

    /** Handles SIGINT, SIGTERM and SIGHUP from now on (once per JVM). */
    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        handle("INT", Cause.SIGINT);
        handle("TERM", Cause.SIGTERM);
        handle("HUP", Cause.SIGHUP);
    }

    private static void handle(String signal, Cause cause) {
        try {
            Signal.handle(new Signal(signal), s -> trigger(cause));
        } catch (IllegalArgumentException unsupported) {
            // e.g. SIGHUP where the platform has none: the JVM's default stays
        }
    }

    /**
     * For tests that interrupt a run in-process: {@code action} replaces System.exit (e.g. recording the code and
     * closing every open scope, as the shutdown hooks would), and the recorded cause and listeners are forgotten.
     */
    public static void resetForTests(java.util.function.IntConsumer action) {
        exit = action;
        CAUSE.set(null);
        LISTENERS.clear();
    }

    /** Called with the cause, before any cleanup runs, on the first interruption. */
    public static void onInterrupt(Consumer<Cause> listener) {
        LISTENERS.add(listener);
    }

    public static Optional<Cause> cause() {
        return Optional.ofNullable(CAUSE.get());
    }

    /** Ends the run after {@code bound} the way a signal would (cause {@link Cause#TIMEOUT}); close to cancel. */
    public static AutoCloseable timeout(Duration bound) {
        ScheduledExecutorService timer = daemonTimer("meshproof-timeout");
        timer.schedule(() -> trigger(Cause.TIMEOUT), bound.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow; // the run ended in time
    }

    private static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The first call records {@code cause}, tells the listeners and starts the exit; a second one forces it. */
    public static void trigger(Cause cause) {
        if (CAUSE.compareAndSet(null, cause)) {
            Progress.step("interrupted by " + cause.description() + ": writing the summary and cleaning up"
                    + (cause == Cause.TIMEOUT ? "" : " (again to stop waiting)"));
            for (Consumer<Cause> l : LISTENERS) {
                try {
                    l.accept(cause);
                } catch (RuntimeException e) {
                    Progress.info("could not record the interruption: " + e.getMessage());
                }
            }
            Thread exiting = new Thread(() -> exit.accept(cause.exitCode().code()), "meshproof-exit");
            exiting.start();
            return;
        }
        List<String> pending = Scope.pendingEverywhere();
        Progress.info("still cleaning up: " + (pending.isEmpty() ? "the shutdown hooks (stopping the load engine, closing streams)"
                : String.join("; ", pending)));
        Progress.info("forcing the exit in " + FORCE_SECONDS + "s");
        daemonTimer("meshproof-force-exit").schedule(() -> {
            List<String> left = Scope.pendingEverywhere();
            if (!left.isEmpty()) {
                Progress.info("may be left behind: " + String.join("; ", left));
                Progress.info("remove it with: meshproof cluster down (a k3s Meshproof started); meshproof install --uninstall "
                        + "--cluster kubeconfig --kubeconfig FILE (the mesh on your cluster); kubectl delete namespace -l app.kubernetes.io/part-of=meshproof");
            }
            Runtime.getRuntime().halt(CAUSE.get().exitCode().code());
        }, FORCE_SECONDS, TimeUnit.SECONDS);
    }
}
