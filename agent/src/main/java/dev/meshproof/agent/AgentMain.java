package dev.meshproof.agent;

import dev.meshproof.agent.otlp.SpanStore;
import dev.meshproof.agent.server.AgentServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.util.concurrent.Callable;

/**
 * The agent process (the container image's entrypoint). Without a mode it serves: echo, call API, health and
 * readiness on {@code --http-port}, the TCP line echo on {@code --tcp-port}.
 *
 * <p>Other modes are picocli subcommands: add a {@code @Command} class to {@code subcommands} below.
 * {@code AgentMain load --spec F --out D} runs the load engine ({@link LoadCommand}).
 *
 * <p>Exit codes: 0 after a clean shutdown, 2 bad flags, 3 a port cannot be bound.
 */
@Command(name = "meshproof-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Meshproof agent: HTTP echo + call API + health + OTLP trace receiver on --http-port, TCP line echo on --tcp-port.",
        subcommands = {LoadCommand.class})
public final class AgentMain implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    static final int EXIT_ENVIRONMENT = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port: /echo, POST /call, /healthz, /readyz, /stats, POST /v1/traces, GET /otlp/spans (default ${DEFAULT-VALUE}; 0 = any free port)")
    int httpPort;

    @Option(names = "--tcp-port", defaultValue = "9000", description = "TCP line-echo port (default ${DEFAULT-VALUE}; 0 = any free port)")
    int tcpPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--otlp-max-spans", defaultValue = "" + SpanStore.DEFAULT_CAPACITY,
            description = "OTLP spans received on POST /v1/traces to keep for GET /otlp/spans; the oldest go first (default ${DEFAULT-VALUE})")
    int otlpMaxSpans;

    public static void main(String[] args) {
        // The agent's own logging config; a resource of its own name so it never clashes with the harness's logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "meshproof-agent-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The agent's command line, with its modes; exposed so a launcher can run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AgentMain());
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("hint: run with --help for usage");
            return EXIT_USAGE;
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (otlpMaxSpans < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--otlp-max-spans is " + otlpMaxSpans + "; allowed: 1 or more");
        }
        AgentServer.Config config = new AgentServer.Config(bind, validPort("--http-port", httpPort),
                validPort("--tcp-port", tcpPort), AgentIdentity.fromEnvironment(), otlpMaxSpans);
        AgentServer server;
        try {
            server = AgentServer.start(config);
        } catch (BindException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return EXIT_ENVIRONMENT;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "agent-shutdown"));
        spec.commandLine().getOut().printf("meshproof-agent %s listening: http %s:%d, tcp %s:%d%n",
                AgentVersion.VERSION, bind, server.httpPort(), bind, server.tcpPort());
        spec.commandLine().getOut().flush();
        server.awaitClose();
        return 0;
    }

    private int validPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " is " + port + "; allowed: 0..65535");
        }
        return port;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"meshproof-agent " + AgentVersion.VERSION};
        }
    }
}
