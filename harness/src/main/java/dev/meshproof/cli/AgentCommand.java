package dev.meshproof.cli;

import dev.meshproof.agent.AgentIdentity;
import dev.meshproof.agent.server.AgentServer;
import dev.meshproof.core.MeshproofException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.util.concurrent.Callable;

/**
 * {@code meshproof agent}: the in-mesh agent (echo, call API, TCP echo) in the foreground on this machine, to try
 * calls by hand or as a local target. The same server the container image runs. Stops on Ctrl-C.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the Meshproof agent in the foreground: HTTP echo at /echo, the call API at POST /call,",
                "/healthz and /readyz on --http-port; a line-by-line TCP echo on --tcp-port. Ctrl-C stops it."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}; 0 = any free port)")
    int httpPort;

    @Option(names = "--tcp-port", defaultValue = "9000", description = "TCP echo port (default ${DEFAULT-VALUE}; 0 = any free port)")
    int tcpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 to accept calls from other machines)")
    String bind;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        // InterruptedException only from binding; once serving, an interrupt is a normal stop
        checkPort("--http-port", httpPort);
        checkPort("--tcp-port", tcpPort);
        AgentServer server;
        try {
            server = AgentServer.start(new AgentServer.Config(bind, httpPort, tcpPort, AgentIdentity.fromEnvironment()));
        } catch (BindException e) {
            throw MeshproofException.environment(e.getMessage(),
                    "choose free ports with --http-port and --tcp-port (0 picks any free port)", e);
        }
        try {
            spec.commandLine().getOut().printf("agent listening: http://%s:%d/echo  POST http://%s:%d/call  tcp %s:%d  (Ctrl-C stops)%n",
                    bind, server.httpPort(), bind, server.httpPort(), bind, server.tcpPort());
            spec.commandLine().getOut().flush();
            Thread hook = new Thread(server::close, "meshproof-agent-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                server.awaitClose();
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt(); // an embedding caller stops us like Ctrl-C does
            } finally {
                removeHook(hook);
            }
            return 0;
        } finally {
            server.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what is stopping us
        }
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw MeshproofException.usage(flag + " is " + port + "; allowed: 0..65535", "pass a port number, or 0 for any free port");
        }
    }
}
