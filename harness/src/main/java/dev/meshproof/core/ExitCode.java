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
    INTERNAL(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
