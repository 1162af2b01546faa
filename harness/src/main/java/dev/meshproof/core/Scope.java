package dev.meshproof.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every side effect registers its cleanup when it is made: namespaces, port-forwards, containers.
 * Closing the scope runs the cleanups in reverse order (last made, first undone), once, and keeps
 * going past failures so one broken cleanup does not leave the rest behind. A JVM shutdown hook
 * closes the scope on Ctrl-C too.
 */
public final class Scope implements AutoCloseable {
    private final String name;
    private final Deque<Cleanup> cleanups = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook;
    private volatile boolean keep;

    private record Cleanup(String what, ThrowingRunnable action) {
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    public Scope(String name) {
        this.name = name;
        this.hook = new Thread(this::closeFromHook, "meshproof-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers a cleanup, described by {@code what} for the progress output ("delete namespace x"). */
    public synchronized void onClose(String what, ThrowingRunnable action) {
        if (closed.get()) {
            throw new IllegalStateException("scope " + name + " is closed; cannot register: " + what);
        }
        cleanups.push(new Cleanup(what, action));
    }

    /** With keep, {@link #close()} leaves everything up and says what was left (the --keep flag). */
    public void keep(boolean value) {
        this.keep = value;
    }

    public synchronized int pending() {
        return cleanups.size();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are running inside the hook: fine
        }
        runCleanups();
    }

    private void closeFromHook() {
        runCleanups();
    }

    private void runCleanups() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (keep) {
                cleanups.forEach(c -> Progress.info("kept (--keep): " + c.what()));
                cleanups.clear();
                return;
            }
            while (!cleanups.isEmpty()) {
                Cleanup c = cleanups.pop();
                try {
                    Progress.info("cleanup: " + c.what());
                    c.action().run();
                } catch (Exception e) {
                    Progress.info("cleanup failed (continuing): " + c.what() + ": " + e.getMessage());
                }
            }
        }
    }
}
