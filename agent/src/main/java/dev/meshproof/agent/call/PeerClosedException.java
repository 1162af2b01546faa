package dev.meshproof.agent.call;

import java.io.IOException;

/** The peer closed its side cleanly (FIN) before a complete reply arrived. */
final class PeerClosedException extends IOException {
    private final long bytesReceived;

    PeerClosedException(long bytesReceived) {
        super(bytesReceived == 0
                ? "peer closed the connection without replying"
                : "peer closed the connection after " + bytesReceived + " bytes of an incomplete reply");
        this.bytesReceived = bytesReceived;
    }

    long bytesReceived() {
        return bytesReceived;
    }
}
