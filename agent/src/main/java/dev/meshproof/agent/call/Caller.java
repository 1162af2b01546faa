package dev.meshproof.agent.call;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Executes a {@link CallRequest}: {@code concurrency} workers share the {@code count} calls. With
 * {@code newConnectionPerCall} every call opens and closes its own connection; otherwise each worker keeps
 * one connection alive across its calls (reopened when the server closes it). So a server sees exactly
 * {@code count} connections in the first case and {@code concurrency} in the second.
 */
public final class Caller {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private final ExecutorService workers;

    /** @param workers runs the concurrent workers; must not bound its threads below the largest concurrency used */
    public Caller(ExecutorService workers) {
        this.workers = workers;
    }

    public CallResponse call(CallRequest request) throws InvalidCallRequestException {
        CallTarget target = validate(request);
        long start = System.nanoTime();
        int count = request.effectiveCount();
        CallResult[] results = new CallResult[count];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < request.effectiveConcurrency(); w++) {
            running.add(workers.submit(() -> work(target, request, next, results)));
        }
        // Each call is bounded by timeoutMs (twice with the stale-connection retry), except name resolution, which the
        // JDK does not bound; the overall bound below keeps a stuck resolver from holding the request forever.
        long callsPerWorker = (count + request.effectiveConcurrency() - 1) / request.effectiveConcurrency();
        long boundMs = callsPerWorker * 2L * request.effectiveTimeoutMs() + 30_000L;
        long deadline = System.nanoTime() + boundMs * 1_000_000L;
        for (Future<?> f : running) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                running.forEach(r -> r.cancel(true));
                throw new IllegalStateException("calls to " + request.url() + " did not finish within " + boundMs + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                throw new IllegalStateException("interrupted while calling " + request.url(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("call worker failed: " + e.getCause(), e.getCause());
            }
        }
        return CallResponse.of(Arrays.asList(results), (System.nanoTime() - start) / 1000);
    }

    private static void work(CallTarget target, CallRequest request, AtomicInteger next, CallResult[] results) {
        Connection[] kept = new Connection[1];
        try {
            for (int i = next.getAndIncrement(); i < results.length; i = next.getAndIncrement()) {
                Map<String, String> stamp = request.effectiveStamp() && target.scheme() != CallTarget.Scheme.TCP
                        ? CallStamp.fresh(request.effectiveHeaders()) : Map.of();
                results[i] = once(target, request, stamp, kept, true).stamped(stamp);
            }
        } finally {
            if (kept[0] != null) {
                kept[0].close();
            }
        }
    }

    private static CallResult once(CallTarget target, CallRequest request, Map<String, String> stamp, Connection[] kept, boolean mayRetry) {
        Deadline deadline = new Deadline(System.nanoTime(), request.effectiveTimeoutMs());
        boolean onReusedConnection = kept[0] != null && kept[0].reused();
        try {
            if (kept[0] == null) {
                kept[0] = Connection.open(target, deadline);
            }
            CallResult result = exchange(target, request, stamp, kept[0], deadline);
            if (kept[0].isClosed()) {
                kept[0] = null;
            }
            return result;
        } catch (Exception e) {
            closeKept(kept);
            Outcome outcome = OutcomeClassifier.classify(e);
            // A kept-alive connection the server closed while idle fails before any reply byte. Like every HTTP
            // client, retry such a call once on a fresh connection (policy applies at connection set-up, so the
            // retry sees the mesh's current verdict).
            if (mayRetry && onReusedConnection && isStaleConnection(e, outcome)) {
                return once(target, request, stamp, kept, false);
            }
            return CallResult.failed(outcome, micros(deadline), OutcomeClassifier.describe(e));
        }
    }

    private static CallResult exchange(CallTarget target, CallRequest request, Map<String, String> stamp, Connection connection, Deadline deadline)
            throws Exception {
        boolean keepOpen;
        CallResult result;
        if (target.scheme() == CallTarget.Scheme.TCP) {
            String line = request.body() == null ? CallRequest.DEFAULT_TCP_LINE : request.body();
            String reply = TcpExchange.exchange(connection, line, deadline);
            result = new CallResult(Outcome.OK, null, micros(deadline), null, null, reply, null);
            keepOpen = true;
        } else {
            String method = request.effectiveMethod();
            Map<String, String> headers = new LinkedHashMap<>(request.effectiveHeaders());
            headers.putAll(stamp);
            byte[] bytes = HttpExchange.request(target, method, headers, request.body());
            HttpExchange.Reply reply = HttpExchange.exchange(connection, bytes, method.equals("HEAD"), deadline);
            Outcome outcome = Outcome.ofHttpStatus(reply.status());
            result = new CallResult(outcome, reply.status(), micros(deadline), reply.echo(), reply.body(), null, null);
            keepOpen = reply.keepAlive();
        }
        connection.exchanged();
        if (request.effectiveNewConnectionPerCall() || !keepOpen) {
            connection.close();
        }
        return result;
    }

    private static boolean isStaleConnection(Exception e, Outcome outcome) {
        return (e instanceof PeerClosedException p && p.bytesReceived() == 0) || outcome == Outcome.RESET;
    }

    private static void closeKept(Connection[] kept) {
        if (kept[0] != null) {
            kept[0].close();
            kept[0] = null;
        }
    }

    private static long micros(Deadline deadline) {
        return (System.nanoTime() - deadline.startNanos()) / 1000;
    }

    static CallTarget validate(CallRequest r) throws InvalidCallRequestException {
        CallTarget target = CallTarget.parse(r.url());
        requireRange("count", r.count(), 1, CallRequest.MAX_COUNT);
        requireRange("timeoutMs", r.timeoutMs(), 1, CallRequest.MAX_TIMEOUT_MS);
        requireRange("concurrency", r.concurrency(), 1, CallRequest.MAX_CONCURRENCY);
        if (r.method() != null && !TOKEN.matcher(r.method()).matches()) {
            throw new InvalidCallRequestException("field 'method' is not an HTTP method token: \"" + r.method() + "\"");
        }
        for (var h : r.effectiveHeaders().entrySet()) {
            if (!TOKEN.matcher(h.getKey()).matches()) {
                throw new InvalidCallRequestException("field 'headers' has an invalid header name: \"" + h.getKey() + "\"");
            }
            if (h.getValue() == null || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new InvalidCallRequestException("field 'headers' has a missing value or a line break in header \"" + h.getKey() + "\"");
            }
        }
        if (target.scheme() == CallTarget.Scheme.TCP && r.body() != null && r.body().indexOf('\n') >= 0
                && r.body().indexOf('\n') != r.body().length() - 1) {
            throw new InvalidCallRequestException("field 'body' must be one line for tcp:// calls (the echo answers line by line)");
        }
        return target;
    }

    private static void requireRange(String field, Integer value, int min, int max) throws InvalidCallRequestException {
        if (value != null && (value < min || value > max)) {
            throw new InvalidCallRequestException("field '" + field + "' is " + value + "; allowed: " + min + ".." + max);
        }
    }
}
