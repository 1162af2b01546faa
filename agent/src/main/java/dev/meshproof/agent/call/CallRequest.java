package dev.meshproof.agent.call;

import java.util.Map;

/**
 * The body of {@code POST /call}: what the agent should call from inside its pod.
 *
 * @param url                  {@code http://host:port/path}, {@code https://…} or {@code tcp://host:port}
 * @param count                how many calls (default 1, at most {@value #MAX_COUNT})
 * @param timeoutMs            per-call deadline covering resolve, connect, send and the complete reply (default 5000, at most {@value #MAX_TIMEOUT_MS})
 * @param headers              extra HTTP request headers
 * @param method               HTTP method (default GET)
 * @param body                 HTTP request body, or the TCP line to send (default {@value #DEFAULT_TCP_LINE})
 * @param newConnectionPerCall a fresh connection for every call (deny checks need this: policy applies at connection set-up);
 *                             otherwise each concurrent worker keeps one connection alive
 * @param concurrency          how many calls are in flight at once (default 1, at most {@value #MAX_CONCURRENCY})
 * @param stamp                every HTTP call carries its own fresh {@code x-request-id} and a sampled W3C {@code traceparent}
 *                             (see {@link CallStamp}), recorded in its result's {@code sent}, so a proxy's access log line
 *                             or span is found by the request it belongs to (default false; headers set explicitly win)
 */
public record CallRequest(
        String url,
        Integer count,
        Integer timeoutMs,
        Map<String, String> headers,
        String method,
        String body,
        Boolean newConnectionPerCall,
        Integer concurrency,
        Boolean stamp) {

    public static final int MAX_COUNT = 10_000;
    public static final int MAX_TIMEOUT_MS = 60_000;
    public static final int MAX_CONCURRENCY = 64;
    public static final String DEFAULT_TCP_LINE = "meshproof-ping";

    /** A single GET with the defaults. */
    public static CallRequest to(String url) {
        return new CallRequest(url, null, null, null, null, null, null, null, null);
    }

    public CallRequest withCount(int value) {
        return new CallRequest(url, value, timeoutMs, headers, method, body, newConnectionPerCall, concurrency, stamp);
    }

    public CallRequest withTimeoutMs(int value) {
        return new CallRequest(url, count, value, headers, method, body, newConnectionPerCall, concurrency, stamp);
    }

    public CallRequest withHeaders(Map<String, String> value) {
        return new CallRequest(url, count, timeoutMs, value, method, body, newConnectionPerCall, concurrency, stamp);
    }

    public CallRequest withMethod(String value) {
        return new CallRequest(url, count, timeoutMs, headers, value, body, newConnectionPerCall, concurrency, stamp);
    }

    public CallRequest withBody(String value) {
        return new CallRequest(url, count, timeoutMs, headers, method, value, newConnectionPerCall, concurrency, stamp);
    }

    public CallRequest withNewConnectionPerCall(boolean value) {
        return new CallRequest(url, count, timeoutMs, headers, method, body, value, concurrency, stamp);
    }

    public CallRequest withConcurrency(int value) {
        return new CallRequest(url, count, timeoutMs, headers, method, body, newConnectionPerCall, value, stamp);
    }

    public CallRequest withStamp(boolean value) {
        return new CallRequest(url, count, timeoutMs, headers, method, body, newConnectionPerCall, concurrency, value);
    }

    boolean effectiveStamp() {
        return Boolean.TRUE.equals(stamp);
    }

    int effectiveCount() {
        return count == null ? 1 : count;
    }

    int effectiveTimeoutMs() {
        return timeoutMs == null ? 5000 : timeoutMs;
    }

    String effectiveMethod() {
        return method == null ? "GET" : method;
    }

    boolean effectiveNewConnectionPerCall() {
        return Boolean.TRUE.equals(newConnectionPerCall);
    }

    int effectiveConcurrency() {
        return Math.min(concurrency == null ? 1 : concurrency, effectiveCount());
    }

    Map<String, String> effectiveHeaders() {
        return headers == null ? Map.of() : headers;
    }
}
