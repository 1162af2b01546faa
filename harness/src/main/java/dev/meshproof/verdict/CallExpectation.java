package dev.meshproof.verdict;

import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A named expectation on one call-API response, built on the agent's {@link Outcome} vocabulary. It answers
 * null when every call of the response meets it, or a sentence saying which call did not and how it ended.
 * A response with no calls never meets an expectation (nothing observed is not evidence).
 *
 * <p>The refusal forms are Istio's own: {@code CheckDeny} in
 * {@code istio/istio@1.29.6:tests/integration/ambient/baseline_test.go} accepts an {@code EOF} (our {@code closed}),
 * {@code connection reset by peer} ({@code reset}), HTTP 403 (a proxy's RBAC filter: {@code RBAC: access denied})
 * and HTTP 503 (an HTTP client whose TCP upstream was refused, e.g. through a waypoint) — never {@code ok}, never a
 * time-out. {@link #DENIED} accepts exactly those, and only when the server never answered itself: a 403 or 503
 * that carries the echo server's reply came from the application, not from the mesh.
 */
@FunctionalInterface
public interface CallExpectation {

    /** Null when met; otherwise what was seen instead. */
    String unmet(CallResponse response);

    default String name() {
        return "expectation";
    }

    default boolean isMetBy(CallResponse response) {
        return unmet(response) == null;
    }

    /** The body of Envoy's HTTP RBAC 403: 19 bytes, no newline (see {@link #RBAC_DENIED}). */
    String RBAC_DENIED_BODY = "RBAC: access denied";

    /** Every call completed with {@code ok} and was answered by an echo server (so the request reached it). */
    CallExpectation ADMITTED = named("admitted (every call ok, answered by the server)",
            every("ok and answered by the echo server", r -> r.outcome() == Outcome.OK && (r.echo() != null || r.reply() != null)));

    /** A connection-level refusal: ztunnel's L4 deny, an Envoy network RBAC deny, STRICT mTLS against plaintext. */
    CallExpectation REFUSED_AT_L4 = named("refused at L4 (reset or closed without reply)",
            everyOutcomeIn(Outcome.RESET, Outcome.CLOSED));

    /** An HTTP refusal by a proxy: 403 (RBAC) or 503 (upstream refused), with no reply from the server itself. */
    CallExpectation REFUSED_AT_L7 = named("refused by a proxy (HTTP 403 or 503 not from the server)",
            every("HTTP 403 or 503 without the server's reply",
                    r -> r.outcome() == Outcome.HTTP_ERROR && r.echo() == null && (Objects.equals(r.status(), 403) || Objects.equals(r.status(), 503))));

    /**
     * Envoy's HTTP RBAC filter refused the request: HTTP 403 whose body is exactly {@code RBAC: access denied} (the filter's
     * local reply, envoyproxy/envoy:source/extensions/filters/http/rbac/rbac_filter.cc {@code sendLocalReply(Http::Code::Forbidden,
     * "RBAC: access denied", …)}), and the server never answered. Narrower than {@link #DENIED}: a 403 from the application,
     * a 403 with another body, a 503 or a reset is some other refusal, not an L7 AuthorizationPolicy's.
     */
    CallExpectation RBAC_DENIED = named("refused by Envoy's RBAC filter (HTTP 403 \"RBAC: access denied\", not from the server)",
            every("HTTP 403 with body exactly \"RBAC: access denied\" and no reply from the server",
                    r -> r.outcome() == Outcome.HTTP_ERROR && Objects.equals(r.status(), 403) && r.echo() == null && r.reply() == null
                            && RBAC_DENIED_BODY.equals(r.body())));

    /** Istio's {@code CheckDeny}: any refusal form it accepts, call by call. */
    CallExpectation DENIED = named("denied (Istio's CheckDeny: reset, closed, or HTTP 403/503 not from the server)",
            or(REFUSED_AT_L4, REFUSED_AT_L7));

    static CallExpectation named(String name, CallExpectation e) {
        return new CallExpectation() {
            @Override
            public String unmet(CallResponse response) {
                return e.unmet(response);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** Every call's outcome is one of {@code outcomes}. */
    static CallExpectation everyOutcomeIn(Outcome... outcomes) {
        Set<Outcome> allowed = EnumSet.copyOf(Arrays.asList(outcomes));
        return every("outcome in " + allowed, r -> allowed.contains(r.outcome()));
    }

    /** Every call completed with {@code ok}. */
    static CallExpectation allOk() {
        return everyOutcomeIn(Outcome.OK);
    }

    /** Every call answered with HTTP {@code status}. */
    static CallExpectation status(int status) {
        return every("HTTP " + status, r -> Objects.equals(r.status(), status));
    }

    /** Every call was answered by an echo server running as service account {@code serviceAccount}. */
    static CallExpectation answeredBy(String serviceAccount) {
        return every("answered by service account " + serviceAccount,
                r -> r.echo() != null && serviceAccount.equals(r.echo().serviceAccount()));
    }

    /** Every call completed and was answered by the echo server's {@code version} (its {@code version} pod label): a route's choice. */
    static CallExpectation answeredByVersion(String version) {
        return named("answered by " + version + " (every call ok, from the echo server's " + version + ")",
                every("ok and answered by " + version, r -> r.outcome() == Outcome.OK && r.echo() != null && version.equals(r.echo().version())));
    }

    /**
     * Every call completed, answered by the echo server, and each of {@code versions} answered at least one: the spread
     * there is without a route (a sample of n calls misses one of two evenly spread versions with probability 2^(1-n)).
     */
    static CallExpectation answeredByEach(String... versions) {
        List<String> wanted = List.of(versions);
        return named("answered by each of " + wanted + " (the spread without a route)", response -> {
            String unanswered = ADMITTED.unmet(response);
            if (unanswered != null) {
                return unanswered;
            }
            Set<String> seen = response.results().stream().map(r -> r.echo() == null ? null : r.echo().version())
                    .filter(Objects::nonNull).collect(Collectors.toCollection(java.util.TreeSet::new));
            List<String> missing = wanted.stream().filter(v -> !seen.contains(v)).toList();
            return missing.isEmpty() ? null : "none of " + response.results().size() + " calls was answered by " + String.join(", ", missing)
                    + " (answered by " + seen + ")";
        });
    }

    /** Every call meets {@code test}; {@code what} names it in the reason. */
    static CallExpectation every(String what, java.util.function.Predicate<CallResult> test) {
        return response -> {
            if (response == null || response.results().isEmpty()) {
                return "no call completed";
            }
            List<CallResult> results = response.results();
            for (int i = 0; i < results.size(); i++) {
                if (!test.test(results.get(i))) {
                    return "call " + (i + 1) + " of " + results.size() + " was not " + what + ": " + describe(results.get(i));
                }
            }
            return null;
        };
    }

    /**
     * Call by call, at least one of {@code options} holds (a response may mix refusal forms: one call reset, the
     * next closed). The whole response is judged call by call, so a response with one ok call never meets it.
     */
    static CallExpectation or(CallExpectation... options) {
        return response -> {
            if (response == null || response.results().isEmpty()) {
                return "no call completed";
            }
            for (int i = 0; i < response.results().size(); i++) {
                CallResponse one = single(response.results().get(i));
                if (Arrays.stream(options).noneMatch(o -> o.isMetBy(one))) {
                    return "call " + (i + 1) + " of " + response.results().size() + " was none of "
                            + Arrays.stream(options).map(CallExpectation::name).collect(Collectors.joining(" / ")) + ": "
                            + describe(response.results().get(i));
                }
            }
            return null;
        };
    }

    /** Both hold. */
    default CallExpectation and(CallExpectation other) {
        CallExpectation self = this;
        return response -> {
            String first = self.unmet(response);
            return first != null ? first : other.unmet(response);
        };
    }

    private static CallResponse single(CallResult r) {
        return new CallResponse(List.of(r), java.util.Map.of(r.outcome(), 1), r.latencyMicros());
    }

    /** {@code reset (java.net.SocketException: Connection reset)}, {@code http_error 403 "RBAC: access denied"}, {@code ok 200 from echo-v1-…}. */
    static String describe(CallResult r) {
        StringBuilder s = new StringBuilder(r.outcome().wireName());
        if (r.status() != null) {
            s.append(' ').append(r.status());
        }
        if (r.echo() != null) {
            s.append(" from ").append(r.echo().pod()).append(" (sa ").append(r.echo().serviceAccount()).append(')');
        } else if (r.body() != null) {
            String body = r.body().strip();
            s.append(" \"").append(body.length() > 60 ? body.substring(0, 60) + "…" : body).append('"');
        }
        if (r.error() != null) {
            s.append(" (").append(r.error()).append(')');
        }
        return s.toString();
    }
}
