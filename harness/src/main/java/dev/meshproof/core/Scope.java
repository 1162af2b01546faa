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
    private volatile String running;
    /** Every scope not closed yet, so an interrupted run can say what is still being cleaned up. */
    private static final java.util.Set<Scope> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private record Cleanup(String what, ThrowingRunnable action) {
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A root scope: a JVM shutdown hook (Ctrl-C, SIGTERM) closes it. */
    public Scope(String name) {
        this(name, true);
    }

    private Scope(String name, boolean root) {
        this.name = name;
        this.hook = root ? new Thread(this::closeFromHook, "meshproof-cleanup-" + name) : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        OPEN.add(this);
    }

    /**
     * A scope inside this one, e.g. one check's inside the run's: closing this scope closes the child first, so
     * what the child made (namespaces) is undone while what it needs (the cluster's client, the cluster) still
     * exists. A child has no shutdown hook of its own: the JVM runs hooks concurrently and in any order, so a hook
     * per check could find the run's client already closed.
     */
    public Scope child(String childName) {
        Scope child = new Scope(name + " / " + childName, false);
        onClose("close " + childName, child::close);
        return child;
    }

    /** Closes every open root scope, as their shutdown hooks do when the JVM exits (tests of interruption run it in-process). */
    public static void closeAllOpen() {
        new java.util.ArrayList<>(OPEN).stream().filter(s -> s.hook != null).forEach(Scope::close);
    }

    /** What every open scope still has to undo, the running cleanup first: "delete namespace x (running)". */
    public static java.util.List<String> pendingEverywhere() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Scope s : OPEN) {
            String now = s.running;
            if (now != null) {
                out.add(now + " (running)");
            }
            synchronized (s.cleanups) {
                s.cleanups.forEach(c -> out.add(c.what()));
            }
        }
        return out;
    }

    /** Registers a cleanup, described by {@code what} for the progress output ("delete namespace x"). */
    public synchronized void onClose(String what, ThrowingRunnable action) {
        if (closed.get()) {
            throw new IllegalStateException("scope " + name + " is closed; cannot register: " + what);
        }
        synchronized (cleanups) {
            cleanups.push(new Cleanup(what, action));
        }
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
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // we are running inside the hook: fine
            }
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
                synchronized (cleanups) {
                    cleanups.forEach(c -> Progress.info("kept (--keep): " + c.what()));
                    cleanups.clear();
                }
                OPEN.remove(this);
                return;
            }
            while (true) {
                Cleanup c;
                synchronized (cleanups) {
                    if (cleanups.isEmpty()) {
                        break;
                    }
                    c = cleanups.pop();
                    running = c.what();
                }
                try {
                    Progress.info("cleanup: " + c.what());
                    c.action().run();
                } catch (Exception e) {
                    Progress.info("cleanup failed (continuing): " + c.what() + ": " + e.getMessage());
                } finally {
                    running = null;
                }
            }
            OPEN.remove(this);
        }
    }
}
