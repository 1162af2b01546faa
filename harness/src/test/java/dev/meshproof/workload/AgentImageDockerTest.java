package dev.meshproof.workload;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.meshproof.agent.Json;
import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.traffic.TrafficClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The image really starts and serves: built with Jib into the local Docker engine on the locally built Debian JRE
 * base (ci/local-base-image.sh; no registry is reachable here), two containers on one Docker network, and the
 * client container's call API calling the server container.
 */
@Testcontainers(disabledWithoutDocker = true)
class AgentImageDockerTest {
    static final String BASE = System.getProperty("meshproof.test.base-image", "meshproof/debian-jre:bookworm");
    static final String IMAGE = "meshproof/agent:docker-test";
    private static DockerClient docker;

    @BeforeAll
    static void buildImage() {
        docker = DockerClientFactory.instance().client();
        assumeTrue(imagePresent(BASE), "base image " + BASE + " is not in the local Docker engine; build it with ci/local-base-image.sh");
        new AgentImage().base("docker://" + BASE).cacheDirectory(Paths.get("target", "jib-cache-docker")).toDockerDaemon(IMAGE);
    }

    @AfterAll
    static void removeImage() {
        if (docker != null && imagePresent(IMAGE)) {
            docker.removeImageCmd(IMAGE).withForce(true).exec();
        }
    }

    private static boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static GenericContainer<?> agent(Network network, String alias, Map<String, String> env) {
        return new GenericContainer<>(IMAGE).withNetwork(network).withNetworkAliases(alias).withEnv(env)
                .withExposedPorts(AgentImage.HTTP_PORT)
                // as the fixtures run it: read-only root file system, a writable /tmp only
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw")))
                .waitingFor(Wait.forHttp("/readyz").forPort(AgentImage.HTTP_PORT).withStartupTimeout(Duration.ofSeconds(90)));
    }

    @Test
    void clientContainerCallsServerContainerOverHttpAndTcp() throws Exception {
        try (Network network = Network.newNetwork();
             GenericContainer<?> echo = agent(network, "echo", Map.of("POD_NAME", "echo-container", "POD_NAMESPACE", "docker",
                     "SERVICE_ACCOUNT", "echo", "VERSION", "v1"));
             GenericContainer<?> client = agent(network, "client", Map.of("POD_NAME", "client-container"))) {
            echo.start();
            client.start();
            TrafficClient traffic = TrafficClient.at("127.0.0.1", client.getMappedPort(AgentImage.HTTP_PORT));

            CallResponse http = traffic.call(CallRequest.to("http://echo:8080/echo/from-client").withCount(2)
                    .withHeaders(Map.of("x-user-type", "container")));
            assertThat(http.all(Outcome.OK)).as(Json.MAPPER.writeValueAsString(http)).isTrue();
            CallResult first = http.results().get(0);
            assertThat(first.echo().pod()).isEqualTo("echo-container");
            assertThat(first.echo().namespace()).isEqualTo("docker");
            assertThat(first.echo().version()).isEqualTo("v1");
            assertThat(first.echo().header("x-user-type")).isEqualTo("container");
            assertThat(first.echo().peerAddress()).isEqualTo(client.getContainerInfo().getNetworkSettings().getNetworks()
                    .values().iterator().next().getIpAddress());

            CallResponse tcp = traffic.call(CallRequest.to("tcp://echo:9000").withBody("over docker"));
            assertThat(tcp.results().get(0).reply()).isEqualTo("over docker");

            assertThat(client.execInContainer("id", "-u").getStdout().trim()).isEqualTo("65532");
            assertThat(client.execInContainer("touch", "/app/x").getExitCode()).as("root file system is read-only").isNotZero();
        }
    }
}
