package dev.meshproof.suites.routing;

import dev.meshproof.conformance.CheckContext;
import dev.meshproof.conformance.CheckContext.Client;
import dev.meshproof.conformance.CheckContext.Server;
import dev.meshproof.conformance.CheckContext.Target;
import dev.meshproof.conformance.DataPlane;
import dev.meshproof.verdict.CallExpectation;
import dev.meshproof.verdict.Step;

import dev.meshproof.traffic.Expect;

import java.time.Duration;

/**
 * The steps and drive every routing check shares. The echo server runs versions {@code v1} and {@code v2} behind the
 * Service {@code echo}; a route sends requests carrying {@code x-meshproof-version: v2} to v2 and every other request
 * to v1. Which version answered is read from the echo body ({@code version}, the pod's label).
 *
 * <p>Controls: before the route and again after it is deleted, both versions answer a sample of {@link #SPREAD_SAMPLE}
 * calls (the Service spreads them), so "only v1 answered" under the route is the route's doing, not a missing v2. A
 * header value that does not match exactly (another version, and one that merely starts with {@code v2}) must never
 * reach v2.
 *
 * <p>Where the route is applied: in ambient by the waypoint of the server's namespace (istio.io
 * {@code ambient/usage/l7-features}: "With a waypoint proxy deployed, you can use the following API types: HTTPRoute");
 * ztunnel routes nothing. In sidecar mode by the client's sidecar.
 */
public final class HeaderRouting {
    /** The header the routes match, exactly. */
    public static final String HEADER = "x-meshproof-version";
    /** The version the header value routes to, and the value that matches. */
    public static final String ROUTED = "v2";
    /** The version every other request goes to. */
    public static final String DEFAULT = "v1";
    /** Values that must not match an exact {@code v2}: another version, and a value {@code v2} is only a prefix of. */
    public static final String[] OTHER_VALUES = {"v1", "v2-beta"};
    /** Calls per spread sample: two evenly spread versions miss one with probability 2^(1-20) ≈ 2e-6. */
    public static final int SPREAD_SAMPLE = 20;

    public static final Step SPREAD_BEFORE = Step.expect("both versions answer before the route",
            CallExpectation.answeredByEach(DEFAULT, ROUTED));
    public static final Step MATCHING = Step.expect("with " + HEADER + ": " + ROUTED + " answered by " + ROUTED,
            CallExpectation.answeredByVersion(ROUTED));
    public static final Step WITHOUT_HEADER = Step.expect("without " + HEADER + " answered by " + DEFAULT,
            CallExpectation.answeredByVersion(DEFAULT));
    public static final Step OTHER_VALUE = Step.expect("with another value of " + HEADER + " answered by " + DEFAULT + ", never " + ROUTED,
            CallExpectation.answeredByVersion(DEFAULT));
    public static final Step SPREAD_AFTER = Step.expect("both versions answer again after the route is deleted",
            CallExpectation.answeredByEach(DEFAULT, ROUTED));

    private HeaderRouting() {
    }

    /** Every step, in the order they are driven. */
    public static Step[] all() {
        return new Step[]{SPREAD_BEFORE, MATCHING, WITHOUT_HEADER, OTHER_VALUE, SPREAD_AFTER};
    }

    /** The echo server with both versions in its own namespace, and a client in another. */
    public record Parties(Server server, Client client) {
        /** The request the route sends to v2. */
        public Target matching() {
            return Target.of(server.http()).header(HEADER, ROUTED);
        }

        /** The request without the header. */
        public Target plain() {
            return Target.of(server.http());
        }
    }

    /**
     * The parties and the L7 proxy that applies routes to the server: in ambient its namespace's waypoint; in sidecar
     * mode the client's sidecar, already there.
     */
    public static Parties deploy(CheckContext ctx) {
        Parties p = deployWithoutWaypoint(ctx);
        if (ctx.dataPlane() == DataPlane.AMBIENT) {
            ctx.waypoint(p.server().namespace());
        }
        return p;
    }

    /** The parties alone: in ambient nothing will apply a route (the live tier's "no waypoint" mutation). */
    public static Parties deployWithoutWaypoint(CheckContext ctx) {
        Server server = ctx.server(ctx.namespace("server"), DEFAULT, ROUTED);
        return new Parties(server, ctx.client(ctx.namespace("client"), "client"));
    }

    /** Drives {@link #SPREAD_BEFORE} (before) or {@link #SPREAD_AFTER} (after the route's deletion has propagated). */
    public static void spread(CheckContext ctx, Step step, Parties p) {
        sampleUntilMet(ctx, step, p.client(), p.plain(), SPREAD_SAMPLE);
    }

    /** Drives the three steps under the route: the matching header first (it converges on the route being in effect). */
    public static void routed(CheckContext ctx, Parties p) {
        ctx.establish(MATCHING, p.client(), p.matching());
        ctx.establish(WITHOUT_HEADER, p.client(), p.plain());
        Target[] others = java.util.Arrays.stream(OTHER_VALUES).map(v -> p.plain().header(HEADER, v)).toArray(Target[]::new);
        ctx.establish(OTHER_VALUE, p.client(), others);
    }

    /**
     * Samples {@code calls} calls at once until the step's expectation is met, at most the converge bound (a deleted
     * route takes a push to leave the proxies). Every sample is recorded; the verdict judges them, as for any step.
     */
    static void sampleUntilMet(CheckContext ctx, Step step, Client client, Target target, int calls) {
        // never met: the recorded samples say so, and the verdict FAILs the step
        Expect.establish(ctx.timeouts().converge(), Duration.ZERO, ctx.timeouts().poll(),
                () -> ctx.sample(step, client, target, calls), step.expectation()::unmet);
    }
}
