package dev.meshproof.core;

/**
 * An error Meshproof can explain to its user: what is wrong and what to do about it, in one or two lines.
 * The CLI prints {@link #getMessage()} and the {@link #hint()} and exits with {@link #exitCode()};
 * the stack trace is only shown with {@code --verbose}.
 */
public class MeshproofException extends RuntimeException {
    private final ExitCode exitCode;
    private final String hint;

    public MeshproofException(ExitCode exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** What the user can do about it; may be null. */
    public String hint() {
        return hint;
    }

    /** Bad usage or input (exit 2). */
    public static MeshproofException usage(String message, String hint) {
        return new MeshproofException(ExitCode.USAGE, message, hint, null);
    }

    /** The environment is unavailable (exit 3). */
    public static MeshproofException environment(String message, String hint, Throwable cause) {
        return new MeshproofException(ExitCode.ENVIRONMENT, message, hint, cause);
    }

    /** Checks ran and failed (exit 1). */
    public static MeshproofException checksFailed(String message) {
        return new MeshproofException(ExitCode.CHECKS_FAILED, message, null, null);
    }
}
