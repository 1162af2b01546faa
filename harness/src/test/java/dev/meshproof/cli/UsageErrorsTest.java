package dev.meshproof.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageErrorsTest {

    @Test
    void unknownFlagExitsTwoWithOneLineAndHint() {
        CliRunner r = CliRunner.run("--no-such-flag");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: Unknown option: '--no-such-flag'").contains("hint: run 'meshproof --help'");
        assertThat(r.err()).doesNotContain("at dev.meshproof"); // no stack trace without --verbose
    }

    @Test
    void missingSubcommandIsUsageError() {
        CliRunner r = CliRunner.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing subcommand");
    }

    @Test
    void helpListsExitCodes() {
        CliRunner r = CliRunner.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Exit codes: 0 ok, 1 checks failed, 2 bad usage or input,").contains("3 environment unavailable, 4 internal error.");
    }

    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        // picocli formats descriptions and footers with String.format: a lone '%' (e.g. "< 99 %, m") is a broken
        // conversion that it reports on System.err as "[picocli WARN] Could not format ..." and then prints raw
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.util.List<String> checked = new java.util.ArrayList<>();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            helpOfEvery(Main.commandLine(), new java.util.ArrayList<>(), checked);
        } finally {
            System.setErr(original);
        }
        assertThat(checked).as("commands whose help was rendered").contains("bench", "bench compare", "run");
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).as("picocli's warnings").doesNotContain("WARN");
    }

    private static void helpOfEvery(picocli.CommandLine cli, java.util.List<String> path, java.util.List<String> checked) {
        java.util.List<String> args = new java.util.ArrayList<>(path);
        args.add("--help");
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
        checked.add(String.join(" ", path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // each subcommand once, not again under its aliases
                java.util.List<String> next = new java.util.ArrayList<>(path);
                next.add(name);
                helpOfEvery(sub, next, checked);
            }
        });
    }
}
