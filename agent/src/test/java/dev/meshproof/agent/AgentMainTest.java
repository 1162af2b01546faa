package dev.meshproof.agent;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent process's command line: usage errors exit 2, a taken port exits 3 (the foreground serving is covered by the harness's AgentCommandTest). */
class AgentMainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = AgentMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsBothPortsWithTheirDefaults() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--http-port").contains("default 8080").contains("--tcp-port").contains("default 9000");
    }

    @Test
    void portOutOfRangeIsUsageError() {
        Run r = run("--http-port", "70000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --http-port is 70000; allowed: 0..65535");
    }

    @Test
    void otlpSpanBoundIsDocumentedAndMustBePositive() {
        assertThat(run("--help").out()).contains("--otlp-max-spans").containsPattern("default\\s+10000\\)");
        Run r = run("--otlp-max-spans", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --otlp-max-spans is 0; allowed: 1 or more");
    }

    @Test
    void unknownFlagIsUsageError() {
        Run r = run("--htp-port", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: Unknown options: '--htp-port', '1'").contains("hint: run with --help for usage");
    }

    @Test
    void takenPortExitsThreeNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("--bind", "127.0.0.1", "--http-port", String.valueOf(taken.getLocalPort()), "--tcp-port", "0");
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).contains("error: cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
