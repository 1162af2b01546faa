package dev.meshproof.evidence;

/** A check's evidence is missing a file or a file does not parse; the message names the file and the problem. */
public final class MalformedEvidenceException extends RuntimeException {
    private final String file;

    public MalformedEvidenceException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public MalformedEvidenceException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public String file() {
        return file;
    }
}
