package dev.meshproof.evidence;

import java.time.Instant;

/**
 * How a check drove one step towards one target: when it started and ended, how long it was allowed to converge
 * and how long the state had to hold (a step with several targets has one record per target). Whether it converged and held is not recorded here: the verdict recomputes that from the
 * step's probes.
 *
 * @param step       the step's name
 * @param target     what was called, e.g. {@code http://echo.ns:8080/echo}, {@code tcp://echo.ns:9000}
 * @param convergeMs the bound for reaching the state ({@code 0}: observed once, no waiting)
 * @param holdMs     how long the state had to hold once reached ({@code 0}: not held)
 */
public record StepRecord(String step, String target, Instant started, Instant ended, long convergeMs, long holdMs) {
}
