package dev.meshproof.agent.load;

import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Notes JVM pauses during a run, the way jHiccup does: a thread asks to sleep 1 ms over and over and
 * records how much longer than that it actually took. A GC pause, a safepoint or a starved CPU stalls
 * this thread and Gatling's event loops alike, so a large hiccup explains a latency spike that the
 * target did not cause. Garbage-collector counts and times are taken from the JVM's MXBeans.
 */
public final class PauseDetector implements AutoCloseable {
    private static final long RESOLUTION_NANOS = 1_000_000;
    private final Histogram hiccups = new Histogram(3);
    private final Thread thread;
    private final long gcCountAtStart;
    private final long gcMillisAtStart;
    private volatile boolean running = true;

    /** Pauses seen: the largest hiccup, how many exceeded 10 ms, and the collector's work in the window. */
    public record Pauses(double maxHiccupMillis, double p99HiccupMillis, long hiccupsOver10ms, long gcCollections,
                         long gcMillis) {
    }

    PauseDetector() {
        gcCountAtStart = gcCount();
        gcMillisAtStart = gcMillis();
        thread = new Thread(this::loop, "meshproof-pause-detector");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long start = System.nanoTime();
            try {
                Thread.sleep(1); // the sleep IS the measurement: how late the JVM wakes us up
            } catch (InterruptedException e) {
                return;
            }
            long overshoot = System.nanoTime() - start - RESOLUTION_NANOS;
            synchronized (hiccups) {
                hiccups.recordValue(Math.max(0, overshoot));
            }
        }
    }

    Pauses pauses() {
        synchronized (hiccups) {
            return new Pauses(hiccups.getMaxValue() / 1e6, hiccups.getValueAtPercentile(99) / 1e6,
                    hiccups.getCountBetweenValues(10_000_000, Long.MAX_VALUE / 2),
                    gcCount() - gcCountAtStart, gcMillis() - gcMillisAtStart);
        }
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .filter(v -> v > 0).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(v -> v > 0).sum();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
