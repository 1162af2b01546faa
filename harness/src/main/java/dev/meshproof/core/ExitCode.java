package dev.meshproof.core;

/**
 * The process exit codes of every Meshproof command. The same table is in the README; keep them in step.
 */
public enum ExitCode {
    /** Everything asked for was done and every check passed. */
    OK(0),
    /** The command ran, and at least one check (conformance, gate, doctor) failed. */
    CHECKS_FAILED(1),
    /** Bad usage or input: unknown flag, missing file, malformed profile or values. */
    USAGE(2),
    /** The environment is unavailable: no Docker, cluster unreachable, image cannot be pulled. */
    ENVIRONMENT(3),
    /** A bug or an unexpected failure inside Meshproof. */
    INTERNAL(4),
    /** Stopped by its own --timeout (as GNU timeout); cleaned up, summary says interrupted. */
    TIMED_OUT(124),
    /** Stopped by SIGHUP (128 + 1); cleaned up, summary says interrupted. */
    HANGUP(129),
    /** Stopped by SIGINT, Ctrl-C (128 + 2); cleaned up, summary says interrupted. */
    INTERRUPTED(130),
    /** Stopped by SIGTERM (128 + 15), e.g. a CI job's cancel; cleaned up, summary says interrupted. */
    TERMINATED(143);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
