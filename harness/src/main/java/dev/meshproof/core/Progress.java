package dev.meshproof.core;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Progress lines for long steps: what is being done or waited for, and for how long.
 * Every line goes to stderr so stdout stays clean for machine-readable output (plans, JSON).
 */
public final class Progress {
    private static volatile PrintStream out = System.err;
    private static volatile boolean quiet = false;

    private Progress() {
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public static void quiet(boolean value) {
        quiet = value;
    }

    public static void step(String message) {
        if (!quiet) {
            out.println("==> " + message);
        }
    }

    public static void info(String message) {
        if (!quiet) {
            out.println("    " + message);
        }
    }

    /** "waiting for X (12s of 300s)" — used by the waits so the user sees what is pending. */
    public static void waiting(String what, Duration elapsed, Duration timeout) {
        if (!quiet) {
            out.printf("    waiting for %s (%ds of %ds)%n", what, elapsed.toSeconds(), timeout.toSeconds());
        }
    }

    /** Runs a step and prints how long it took. */
    public static <T> T timed(String message, Supplier<T> body) {
        step(message);
        long start = System.nanoTime();
        T result = body.get();
        info(String.format("done in %.1fs", (System.nanoTime() - start) / 1e9));
        return result;
    }
}
