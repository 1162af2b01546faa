package dev.meshproof.agent.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * The Gatling simulation the engine runs: an open model ({@code constantUsersPerSec}), one request per
 * virtual user, all users sharing pooled keep-alive connections (server-to-server traffic, not a mob of
 * browsers). Gatling opens a new connection when no pooled one is idle: maxConnectionsPerHost does not cap
 * plain requests in 3.15 (gatling-http 3.15.1 uses it only in DefaultResourceAggregator). Gatling generates the arrivals and sends the requests; {@link LoadRecorder} times them in ns:
 * the first step takes the arrival's intended send time, {@code transformResponse} stamps the moment the
 * response is complete (on Gatling's event loop, before checks), and the last step classifies and records.
 * <p>
 * Gatling instantiates this class itself, so the run's spec and recorder are handed over in {@link #prepare}.
 */
public class MeshproofSimulation extends Simulation {
    private static final String SEND = "meshproof.send";
    private static volatile Context context;

    record Context(LoadSpec spec, LoadRecorder recorder, GatlingFailureCapture failures) {
    }

    static void prepare(LoadSpec spec, LoadRecorder recorder, GatlingFailureCapture failures) {
        context = new Context(spec, recorder, failures);
    }

    /** Response-complete timestamps and statuses, by virtual user, between transformResponse and the last step. */
    private final Map<Long, long[]> responses = new ConcurrentHashMap<>();

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
                .shareConnections()
                .maxConnectionsPerHost(spec.connections())
                .disableWarmUp() // default warm-up URL is https://gatling.io: never leave 127.0.0.1 / the cluster
                .disableCaching()
                .disableFollowRedirect()
                .connectionHeader(spec.keepAlive() ? "keep-alive" : "close");

        HttpRequestActionBuilder request = spec.payloadBytes() > 0
                ? http("request").post(path).body(ByteArrayBody(new byte[spec.payloadBytes()])).header("Content-Type", "application/octet-stream")
                : http("request").get(path);
        request = request.requestTimeout(spec.requestTimeout())
                .transformResponse((response, session) -> {
                    responses.put(session.userId(), new long[]{System.nanoTime(), response.status().code()});
                    return response;
                });

        ScenarioBuilder scenario = scenario("open-model")
                .exec(session -> session.set(SEND, c.recorder().onSend()))
                .exec(request)
                .exec(session -> complete(c, session));

        Duration total = spec.warmup().plus(spec.duration());
        // maxDuration: the injection window plus one request timeout plus slack, so a stuck target cannot hang the run
        Duration limit = total.plus(spec.requestTimeout()).plusSeconds(5);
        setUp(scenario.injectOpen(constantUsersPerSec(spec.rate()).during(total)))
                .protocols(protocol)
                .maxDuration(limit);
    }

    private Session complete(Context c, Session session) {
        long now = System.nanoTime();
        LoadRecorder.Send send = (LoadRecorder.Send) session.get(SEND);
        long[] response = responses.remove(session.userId());
        String failure = c.failures().take(session.userId());
        LoadOutcome outcome;
        long end;
        if (response != null) {
            end = response[0];
            outcome = LoadOutcome.fromStatus((int) response[1]);
        } else {
            end = now;
            outcome = LoadOutcome.fromGatlingMessage(failure);
        }
        c.recorder().onComplete(send, end, outcome);
        return session;
    }
}
