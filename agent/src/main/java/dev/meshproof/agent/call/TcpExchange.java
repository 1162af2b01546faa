package dev.meshproof.agent.call;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One line sent to a TCP echo server and the line it sends back. */
final class TcpExchange {
    private static final int MAX_LINE = 64 * 1024;

    private TcpExchange() {
    }

    static String exchange(Connection connection, String line, Deadline deadline) throws IOException {
        String toSend = line.endsWith("\n") ? line : line + "\n";
        connection.write(toSend.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int n = connection.read(buffer, deadline);
            if (n < 0) {
                throw new PeerClosedException(reply.size());
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    reply.write(buffer, 0, i);
                    return reply.toString(StandardCharsets.UTF_8);
                }
            }
            reply.write(buffer, 0, n);
            if (reply.size() > MAX_LINE) {
                throw new IOException("TCP reply line longer than " + MAX_LINE + " bytes");
            }
        }
    }
}
