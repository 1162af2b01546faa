package dev.meshproof.traffic;

import dev.meshproof.agent.call.CallRequest;
import dev.meshproof.agent.call.CallResponse;
import dev.meshproof.agent.call.CallResult;
import dev.meshproof.agent.call.Outcome;
import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Scope;
import dev.meshproof.workload.AgentImage;
import dev.meshproof.workload.Workloads;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.meshproof.e2e.LiveCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-cluster path: echo v1 and v2 and the client deployed from the fixtures, the client pod's call API reached
 * through a port-forward, and calls made from inside the cluster. Plain Kubernetes (no mesh needed).
 *
 * <p>The cluster comes from {@link LiveCluster} (k3s in Docker, or {@code MESHPROOF_KUBECONFIG}). Its nodes need the
 * agent image ({@code -Dmeshproof.agent.image}, default {@code meshproof/agent:<version>}): imported here when the
 * cluster offers an image importer (k3s), otherwise pushed beforehand with {@link AgentImage#toRegistry}.
 */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
class InClusterTrafficE2ETest {
    private static final Duration READY = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void clientPodCallsBothEchoVersionsOverHttpAndTcpAndClassifiesFailures(Cluster cluster) {
        String image = System.getProperty("meshproof.agent.image", AgentImage.defaultReference());
        String ns = "meshproof-traffic-" + UUID.randomUUID().toString().substring(0, 8);
        try (Scope scope = new Scope("e2e-traffic")) {
            KubernetesClient k = cluster.client();
            cluster.imageImporter().ifPresent(importer -> {
                Path tar = dir.resolve("agent.tar");
                new AgentImage().base(System.getProperty("meshproof.agent.base", AgentImage.DEFAULT_BASE)).toTar(tar, image);
                importer.importImage(tar);
            });
            k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            scope.onClose("delete namespace " + ns, () -> k.namespaces().withName(ns).delete());

            Workloads workloads = new Workloads(k, scope, image);
            workloads.deployServer(ns, "v1");
            workloads.deployServer(ns, "v2");
            workloads.deployClient(ns);
            for (String d : new String[]{"echo-v1", "echo-v2", Workloads.CLIENT}) {
                workloads.awaitReady(ns, d, READY);
            }
            TrafficClient traffic = TrafficClient.viaPortForward(k, ns, Workloads.CLIENT, scope);

            CallResponse v1 = Expect.eventually("echo-v1 answers the client", Duration.ofSeconds(60), Duration.ofSeconds(1),
                    () -> traffic.call(CallRequest.to("http://echo-v1:8080/echo").withCount(3)), r -> r.all(Outcome.OK));
            assertThat(v1.results()).allSatisfy(r -> {
                assertThat(r.echo().version()).isEqualTo("v1");
                assertThat(r.echo().namespace()).isEqualTo(ns);
                assertThat(r.echo().serviceAccount()).isEqualTo("echo");
                assertThat(r.echo().pod()).startsWith("echo-v1-");
            });

            CallResponse both = traffic.call(CallRequest.to("http://echo:8080/echo").withCount(40).withNewConnectionPerCall(true));
            assertThat(both.all(Outcome.OK)).isTrue();
            assertThat(both.results()).extracting(r -> r.echo().version()).contains("v1", "v2");

            CallResponse tcp = traffic.call(CallRequest.to("tcp://echo-v2:9000").withBody("in-cluster"));
            assertThat(tcp.results()).extracting(CallResult::reply).containsExactly("in-cluster");

            CallResponse dns = traffic.call(CallRequest.to("http://no-such-service." + ns + ".svc.cluster.local:8080/echo"));
            assertThat(dns.results().get(0).outcome()).isEqualTo(Outcome.DNS_ERROR);

            String echoPodIp = k.pods().inNamespace(ns).withLabel("app", "echo").list().getItems().get(0).getStatus().getPodIP();
            CallResponse refused = traffic.call(CallRequest.to("tcp://" + echoPodIp + ":9999"));
            assertThat(refused.results().get(0).outcome()).isEqualTo(Outcome.REFUSED);
        }
    }
}
