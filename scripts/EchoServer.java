// A minimal HTTP echo server for scripts/bench-engine-vs-wrk.sh when the agent's echo server is not available.
// Run with the JDK's single-file launcher: java scripts/EchoServer.java PORT
// Binds 127.0.0.1 only; answers every request with its body (or "ok\n" for an empty body).
import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

public class EchoServer {
    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // no Nagle: headers and body leave together
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = body.length == 0 ? "ok\n".getBytes() : body;
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        System.out.println("echo server on http://127.0.0.1:" + port + "/");
    }
}
