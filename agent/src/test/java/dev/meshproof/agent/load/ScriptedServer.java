package dev.meshproof.agent.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback HTTP server whose response delay follows a script, for testing the load engine against
 * known latencies. The delays ARE the behaviour under test, so they are real sleeps (parkNanos).
 */
final class ScriptedServer implements AutoCloseable {
    /** Decides how long request number {@code n} (0-based, in arrival order) is held before the answer; negative: answer 503 at once. */
    @FunctionalInterface
    interface Delay {
        long nanosFor(long n);
    }

    static {
        // the JDK server leaves Nagle on by default: headers and body would wait on the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong requests = new AtomicLong();

    private ScriptedServer(int threads, Delay delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        workers = Executors.newFixedThreadPool(threads);
        server.setExecutor(workers);
        server.createContext("/", exchange -> handle(exchange, delay));
        server.start();
    }

    /** Every request is held for its scripted delay; {@code threads} requests can be held at once. */
    static ScriptedServer start(int threads, Delay delay) throws IOException {
        return new ScriptedServer(threads, delay);
    }

    /**
     * One worker thread that freezes for {@code stallMillis} once every {@code periodMillis}: while it is
     * frozen every other request waits behind it, like a server in a GC pause.
     */
    static ScriptedServer stalling(long stallMillis, long periodMillis) throws IOException {
        long start = System.nanoTime();
        AtomicLong lastStallPeriod = new AtomicLong(-1);
        return new ScriptedServer(1, n -> {
            long period = (System.nanoTime() - start) / TimeUnit.MILLISECONDS.toNanos(periodMillis);
            return lastStallPeriod.getAndSet(period) != period ? TimeUnit.MILLISECONDS.toNanos(stallMillis) : 0;
        });
    }

    private void handle(HttpExchange exchange, Delay delay) throws IOException {
        long n = requests.getAndIncrement();
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
        }
        long nanos = delay.nanosFor(n);
        if (nanos < 0) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        if (nanos > 0) {
            long until = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = until - System.nanoTime()) {
                LockSupport.parkNanos(left); // the scripted delay: this sleep is the behaviour under test
            }
        }
        byte[] answer = "ok\n".getBytes();
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
