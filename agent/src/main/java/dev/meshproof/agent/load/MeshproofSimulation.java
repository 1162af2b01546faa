package dev.meshproof.agent.load;

import dev.meshproof.agent.call.Outcome;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.net.URI;
import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * The Gatling simulation the engine runs: a constant-rate open model served by a fixed pool of
 * {@link LoadSpec#connections()} long-lived virtual users, each with its own keep-alive connection (Istio's
 * "N connections" setup; server-to-server traffic, not a mob of browsers). Each user loops: claim the next
 * arrival of the {@link ArrivalSchedule}, pause until it is due (skipped when it is already due), send,
 * record. Arrivals never wait for each other's responses, only for a free user: when all users are busy,
 * the due arrivals leave late, and since latency counts from the intended send time, that wait is measured
 * (wrk2's model). A virtual user per request (Gatling's {@code constantUsersPerSec}, this engine's first design)
 * cost about 0.4 ms of CPU per request and topped out at 2-3k rps here; looping users sustain about 10 times
 * that (docs/benchmarks.md, "Engine vs wrk").
 * <p>
 * Gatling sends the requests; {@link LoadRecorder} times them in ns: the send step takes the arrival's
 * intended send time, {@code transformResponse} stamps the moment the response is complete (on Gatling's
 * event loop, before checks), and the last step classifies and records.
 * <p>
 * Gatling instantiates this class itself, so the run's spec, schedule and recorder are handed over in {@link #prepare}.
 */
public class MeshproofSimulation extends Simulation {
    private static final String USER = "meshproof.user";
    private static volatile Context context;

    record Context(LoadSpec spec, ArrivalSchedule schedule, LoadRecorder recorder, GatlingFailureCapture failures) {
    }

    static void prepare(LoadSpec spec, ArrivalSchedule schedule, LoadRecorder recorder, GatlingFailureCapture failures) {
        context = new Context(spec, schedule, recorder, failures);
    }

    /**
     * What one virtual user is doing: put in its session once, when it starts, and updated in place by its steps, so
     * the loop makes no session copies and no shared-map entries per request. Gatling runs one user's steps one after
     * another, on that user's event loop (its connection's too), so the fields need no locking.
     */
    static final class UserSlot {
        /** The claimed arrival; -1 once the schedule has none left. */
        long arrival;
        LoadRecorder.Send send;
        /** When the response was complete (ns; set by transformResponse, on the event loop, before checks). */
        long responseNanos;
        /** The response's status; 0 until a response arrived (a failure leaves it 0). */
        int status;

        UserSlot(long arrival) {
            this.arrival = arrival;
        }
    }

    private static UserSlot slot(Session session) {
        return (UserSlot) session.get(USER);
    }

    public MeshproofSimulation() {
        Context c = context;
        if (c == null) {
            throw new IllegalStateException("MeshproofSimulation runs only through LoadEngine / LoadMain");
        }
        LoadSpec spec = c.spec();
        URI target = spec.target();
        String origin = target.getScheme() + "://" + target.getRawAuthority();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }

        HttpProtocolBuilder protocol = http.baseUrl(origin)
                .maxConnectionsPerHost(1) // one request in flight per user: its one connection
                .disableWarmUp() // default warm-up URL is https://gatling.io: never leave 127.0.0.1 / the cluster
                .disableCaching()
                .disableFollowRedirect()
                .connectionHeader(spec.keepAlive() ? "keep-alive" : "close");

        HttpRequestActionBuilder request = spec.payloadBytes() > 0
                ? http("request").post(path).body(ByteArrayBody(new byte[spec.payloadBytes()])).header("Content-Type", "application/octet-stream")
                : http("request").get(path);
        request = request.requestTimeout(spec.requestTimeout())
                .transformResponse((response, session) -> {
                    UserSlot user = slot(session);
                    user.responseNanos = System.nanoTime();
                    user.status = response.status().code();
                    return response;
                });
        if (!spec.gatlingReport()) {
            // Gatling's stats engine gets nothing per request (gatling-http 3.15.1 HttpTxExecutor#statsProcessor: a silent
            // request goes to NoopStatsProcessor, which only logs); Meshproof's recorder measures every request anyway
            request = request.silent();
        }

        ArrivalSchedule schedule = c.schedule();
        LoadRecorder recorder = c.recorder();
        ChainBuilder arrival = doIf(session -> schedule.pauseMillis(slot(session).arrival) > 0)
                .then(pause(session -> Duration.ofMillis(schedule.pauseMillis(slot(session).arrival))))
                .exec(session -> {
                    UserSlot user = slot(session);
                    user.status = 0;
                    user.send = recorder.onSend(user.arrival, schedule.intendedNanos(user.arrival));
                    return session;
                })
                .exec(request)
                .exec(session -> {
                    UserSlot user = slot(session);
                    complete(c, session.userId(), user);
                    user.arrival = schedule.claim();
                    return session;
                });
        ScenarioBuilder scenario = scenario("open-model")
                .exec(session -> session.set(USER, new UserSlot(schedule.claim())))
                .asLongAs(session -> slot(session).arrival >= 0).on(arrival);

        // maxDuration is a backstop: the schedule stops claiming in time for the last answers to arrive inside it
        setUp(scenario.injectOpen(atOnceUsers(spec.connections())))
                .protocols(protocol)
                .maxDuration(spec.runLimit());
    }

    private static void complete(Context c, long userId, UserSlot user) {
        String failure = c.failures().take(userId);
        if (user.status != 0) {
            c.recorder().onComplete(user.send, user.responseNanos, Outcome.ofHttpStatus(user.status));
        } else {
            c.recorder().onComplete(user.send, System.nanoTime(), GatlingFailures.outcomeOf(failure));
        }
    }
}
