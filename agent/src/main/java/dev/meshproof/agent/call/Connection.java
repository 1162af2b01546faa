package dev.meshproof.agent.call;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One client connection, a plain blocking {@link Socket} (TLS-wrapped for https).
 *
 * <p>Why a socket and not the JDK HttpClient: every way a mesh can refuse a call surfaces here as its own
 * socket-level event — connect refused, RST, FIN with no reply, silence — which the call API must report
 * exactly. HttpClient folds several of them into one IOException message and pools connections out of
 * sight, so neither the outcome nor {@code newConnectionPerCall} could be proven.
 */
final class Connection implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int exchanges;

    private Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Connection open(CallTarget target, Deadline deadline) throws IOException {
        InetAddress address = InetAddress.getByName(target.host()); // UnknownHostException -> dns_error
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, target.port()), deadline.remainingMillis());
            if (target.scheme() == CallTarget.Scheme.HTTPS) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, target.host(), target.port(), true);
                tls.setSoTimeout(deadline.remainingMillis());
                tls.startHandshake();
                return new Connection(tls);
            }
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Blocks for at most the deadline's remaining time; -1 at a clean end of stream. */
    int read(byte[] buffer, Deadline deadline) throws IOException {
        socket.setSoTimeout(deadline.remainingMillis());
        return in.read(buffer);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Marks one request/reply done on this connection. */
    void exchanged() {
        exchanges++;
    }

    /** True once this connection has carried a complete exchange (a failure on it may be a stale keep-alive). */
    boolean reused() {
        return exchanges > 0;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort; the call's outcome is already decided
        }
    }
}
