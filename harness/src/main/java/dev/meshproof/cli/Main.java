package dev.meshproof.cli;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The {@code meshproof} command. Subcommands are registered in {@link #commandLine()}.
 * Exit codes: see {@link ExitCode} (0 ok, 1 checks failed, 2 usage, 3 environment, 4 internal).
 */
@Command(name = "meshproof",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "End-to-end conformance and benchmark harness for service meshes (Istio ambient).",
        footer = {"", "Exit codes: 0 ok, 1 checks failed, 2 bad usage or input,", "3 environment unavailable, 4 internal error."})
public final class Main implements Runnable {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and debug output on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI without exiting the JVM; the tests use this. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("hint: run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex, err, isVerbose(parseResult)));
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // Subcommands (one class each, in this package):
        for (Object sub : Subcommands.all()) {
            cli.addSubcommand(sub);
        }
        return cli;
    }

    private static boolean isVerbose(CommandLine.ParseResult parseResult) {
        return parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(Main::isVerbose);
    }

    /** Turns any failure into a one- or two-line message and an exit code. */
    static int handle(Exception ex, PrintWriter err, boolean verbose) {
        MeshproofException known = find(ex);
        if (known != null) {
            err.println("error: " + known.getMessage());
            if (known.hint() != null) {
                err.println("hint: " + known.hint());
            }
            if (verbose) {
                known.printStackTrace(err);
            }
            return known.exitCode().code();
        }
        err.println("error: internal error: " + ex);
        err.println("hint: this is a Meshproof bug; rerun with --verbose and report the stack trace");
        if (verbose) {
            ex.printStackTrace(err);
        }
        return ExitCode.INTERNAL.code();
    }

    private static MeshproofException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MeshproofException m) {
                return m;
            }
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"meshproof " + (v == null ? "dev" : v)};
        }
    }
}
