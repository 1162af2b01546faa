package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.List;
import java.util.Map;

/**
 * Plays istiod's waypoint controller on the mock API server: for each new Gateway it deploys a pod labelled
 * with the gateway name (Ready or not) and sets the Gateway's Programmed=True; when the Gateway is deleted, its pod
 * goes too. Close the returned watch when done.
 */
public final class FakeWaypointController implements Watcher<GenericKubernetesResource> {
    private final KubernetesClient client;
    private final boolean podReady;

    private FakeWaypointController(KubernetesClient client, boolean podReady) {
        this.client = client;
        this.podReady = podReady;
    }

    public static Watch start(KubernetesClient client, boolean podReady) {
        return IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inAnyNamespace()
                .watch(new FakeWaypointController(client, podReady));
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource gw) {
        String ns = gw.getMetadata().getNamespace();
        String name = gw.getMetadata().getName();
        if (action == Action.DELETED) {
            client.pods().inNamespace(ns).withName(name + "-pod").delete();
        }
        if (action != Action.ADDED) {
            return;
        }
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-pod")
                .addToLabels("gateway.networking.k8s.io/gateway-name", name).endMetadata()
                .withNewSpec().addNewContainer().withName("istio-proxy").withImage("x").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(podReady ? "True" : "False").endCondition().endStatus()
                .build()).create();
        gw.getAdditionalProperties().put("status", Map.of("conditions", List.of(Map.of("type", "Programmed", "status", "True"))));
        IstioKinds.operations(client, GatewayApi.API_VERSION, "Gateway").inNamespace(ns).resource(gw).updateStatus();
    }

    @Override
    public void onClose(WatcherException cause) {
        // test over
    }
}
