package dev.meshproof.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server on 127.0.0.1 that ends every connection one particular way, after it has read the client's
 * request (an HTTP head up to the blank line, or one TCP line), so the client's classification is deterministic.
 */
public final class MisbehavingServer implements AutoCloseable {

    public enum Behaviour {
        /** SO_LINGER 0 then close: the kernel sends RST. */
        RESET,
        /** A normal close (FIN) without a byte of reply. */
        CLOSE,
        /** Accept, read, and never answer (until the test closes the server). */
        SILENT,
        /** Send the fixed reply bytes, then close. */
        REPLY
    }

    private final ServerSocket socket;
    private final Behaviour behaviour;
    private final byte[] reply;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private MisbehavingServer(Behaviour behaviour, byte[] reply) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.reply = reply;
        this.acceptor = new Thread(this::acceptLoop, "misbehaving-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static MisbehavingServer start(Behaviour behaviour) throws IOException {
        return new MisbehavingServer(behaviour, new byte[0]);
    }

    public static MisbehavingServer replying(String rawReply) throws IOException {
        return new MisbehavingServer(Behaviour.REPLY, rawReply.getBytes(StandardCharsets.UTF_8));
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> misbehave(s), "misbehaving-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void misbehave(Socket s) {
        try {
            readRequest(s.getInputStream());
            switch (behaviour) {
                case RESET -> {
                    s.setSoLinger(true, 0);
                    s.close();
                }
                case CLOSE -> s.close();
                case SILENT -> {
                    // keep the connection open; close() ends it
                }
                case REPLY -> {
                    s.getOutputStream().write(reply);
                    s.getOutputStream().flush();
                    s.close();
                }
            }
        } catch (SocketException ignored) {
            // the client gave up first (timeout tests): expected
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads up to the end of an HTTP head (blank line) or of a TCP line, whichever comes first. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            seen.write(b);
            String s = seen.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n") || (b == '\n' && !s.contains("HTTP/1."))) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
