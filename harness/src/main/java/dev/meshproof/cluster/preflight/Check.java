package dev.meshproof.cluster.preflight;

/** One pre-flight check, like a {@code linkerd check} item: a description and a run that gives a {@link CheckResult}. */
public interface Check {

    /** What is verified, e.g. "Docker engine reachable". */
    String description();

    /** Runs the check; must be bounded in time and must not throw for an expected failure. */
    CheckResult run();
}
