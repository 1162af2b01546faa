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
}
