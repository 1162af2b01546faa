package dev.meshproof.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code meshproof agent}: serves in the foreground until stopped; bad ports are usage errors, taken ports environment errors. */
class AgentCommandTest {
    private static final Pattern LISTENING = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/echo .* tcp 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void servesEchoAndCallInTheForegroundUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread foreground = new Thread(() -> exit.set(Main.execute(new String[]{"agent", "--http-port", "0", "--tcp-port", "0"},
                new PrintWriter(out, true), new PrintWriter(err, true))), "meshproof-agent-under-test");
        foreground.start();
        try {
            Matcher m = await("the agent's 'listening' line").atMost(Duration.ofSeconds(20))
                    .until(() -> LISTENING.matcher(out.toString()), Matcher::find);
            int httpPort = Integer.parseInt(m.group(1));
            given().port(httpPort).when().get("/readyz").then().statusCode(200);
            given().port(httpPort).header("x-user-type", "cli").when().get("/echo/try")
                    .then().statusCode(200).body("headers.x-user-type[0]", equalTo("cli")).body("path", equalTo("/echo/try"));
            assertThat(exit.get()).as("still running").isEqualTo(-1);
        } finally {
            foreground.interrupt();
            foreground.join(Duration.ofSeconds(20).toMillis());
        }
        assertThat(foreground.isAlive()).isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
    }

    @Test
    void takenPortExitsThreeWithErrorAndHint() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRunner r = CliRunner.run("agent", "--http-port", String.valueOf(taken.getLocalPort()), "--tcp-port", "0");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("error: cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort())
                    .contains("hint: choose free ports with --http-port and --tcp-port");
        }
    }

    @Test
    void portOutOfRangeIsUsageError() {
        CliRunner r = CliRunner.run("agent", "--tcp-port", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: --tcp-port is -1; allowed: 0..65535");
    }

    @Test
    void helpDescribesBothPorts() {
        CliRunner r = CliRunner.run("agent", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--http-port").contains("--tcp-port").contains("POST /call");
    }
}
