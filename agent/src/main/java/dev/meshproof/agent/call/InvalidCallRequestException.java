package dev.meshproof.agent.call;

/** A {@code POST /call} body the agent cannot act on; the message names the field and the problem. */
public final class InvalidCallRequestException extends Exception {
    public InvalidCallRequestException(String message) {
        super(message);
    }
}
