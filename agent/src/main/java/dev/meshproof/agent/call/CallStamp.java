package dev.meshproof.agent.call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The headers that make one HTTP call findable in a proxy's evidence: a fresh {@code x-request-id} (Envoy logs it as
 * {@code %REQ(X-REQUEST-ID)%} and tags spans with it) and a W3C {@code traceparent} with a fresh trace id and parent
 * span id and the sampled flag ({@code 00-<32 hex>-<16 hex>-01}, w3c/trace-context: Level 1, "traceparent Header").
 * A header the request already sets is kept as it is and not stamped.
 */
public final class CallStamp {
    public static final String REQUEST_ID = "x-request-id";
    public static final String TRACEPARENT = "traceparent";

    private CallStamp() {
    }

    /** The stamp headers {@code explicit} does not already set (names compared case-insensitively). */
    public static Map<String, String> fresh(Map<String, String> explicit) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!has(explicit, REQUEST_ID)) {
            out.put(REQUEST_ID, UUID.randomUUID().toString());
        }
        if (!has(explicit, TRACEPARENT)) {
            out.put(TRACEPARENT, "00-" + hex(16) + "-" + hex(8) + "-01");
        }
        return out;
    }

    /** Lower-case hex of {@code bytes} random bytes, never all zero (an all-zero trace or span id is invalid). */
    public static String hex(int bytes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            sb.append(String.format("%02x", random.nextInt(256)));
        }
        return sb.chars().allMatch(c -> c == '0') ? hex(bytes) : sb.toString();
    }

    private static boolean has(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }
}
