package dev.meshproof.mesh;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The test plays Kubernetes' and istiod's controllers against the mock API server: it watches what the
 * installer creates and sets the status a real cluster would (CRDs Established, Deployments available,
 * DaemonSets ready), and, like istiod with PILOT_ENABLE_AMBIENT, creates GatewayClass istio-waypoint.
 * Names listed in {@link #stall} are left alone, so a wait on them times out.
 */
public final class FakeControllers implements AutoCloseable {
    private final KubernetesClient client;
    private final Set<String> stalled = new HashSet<>();
    private final List<Watch> watches = new ArrayList<>();

    public FakeControllers(KubernetesClient client) {
        this.client = client;
    }

    /** Never reconcile the object with this name (a DaemonSet whose pods never become ready, ...). */
    FakeControllers stall(String name) {
        stalled.add(name);
        return this;
    }

    public FakeControllers start() {
        watches.add(client.apiextensions().v1().customResourceDefinitions().watch(on(this::establish)));
        watches.add(client.apps().deployments().inAnyNamespace().watch(on(this::makeAvailable, this::collectPods)));
        watches.add(client.apps().daemonSets().inAnyNamespace().watch(on(this::makeReady)));
        return this;
    }

    private void establish(CustomResourceDefinition crd) {
        if (stalled.contains(crd.getMetadata().getName()) || crd.getStatus() != null && !crd.getStatus().getConditions().isEmpty()) {
            return;
        }
        crd.setStatus(new CustomResourceDefinitionStatusBuilder().withConditions(new CustomResourceDefinitionConditionBuilder()
                .withType("Established").withStatus("True").build()).build());
        client.resource(crd).updateStatus();
    }

    private void makeAvailable(Deployment d) {
        if (stalled.contains(d.getMetadata().getName()) || d.getStatus() != null && d.getStatus().getAvailableReplicas() != null) {
            return;
        }
        client.pods().inNamespace(d.getMetadata().getNamespace()).resource(new PodBuilder().withNewMetadata()
                .withName(d.getMetadata().getName() + "-pod").withLabels(d.getSpec().getSelector().getMatchLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("x").endContainer().endSpec().build())
                .createOr(NonDeletingOperation::update); // a reinstall makes the Deployment available again: idempotent, as a ReplicaSet is
        // as a real cluster: the Deployment is Available only once its pod exists
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withAvailableReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                .addNewCondition().withType("Available").withStatus("True").endCondition().build());
        client.resource(d).updateStatus();
        boolean ambient = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getEnv().stream()).anyMatch(e -> e.getName().equals("PILOT_ENABLE_AMBIENT") && "true".equals(e.getValue()));
        if (d.getMetadata().getName().equals("istiod") && ambient) {
            // istiod's built-in classes (pilot/pkg/config/kube/gateway/deploymentcontroller.go getBuiltinClasses)
            GenericKubernetesResource gc = new GenericKubernetesResourceBuilder().withApiVersion("gateway.networking.k8s.io/v1")
                    .withKind("GatewayClass").withNewMetadata().withName("istio-waypoint").endMetadata()
                    .addToAdditionalProperties("spec", Map.of("controllerName", "istio.io/mesh-controller")).build();
            client.resource(gc).createOr(NonDeletingOperation::update);
        }
    }

    private void makeReady(DaemonSet ds) {
        if (stalled.contains(ds.getMetadata().getName()) || ds.getStatus() != null && ds.getStatus().getNumberReady() != null) {
            return;
        }
        ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(1).withCurrentNumberScheduled(1)
                .withNumberReady(1).withNumberAvailable(1).withUpdatedNumberScheduled(1).build());
        client.resource(ds).updateStatus();
    }

    /** Kubernetes' garbage collector: a deleted Deployment's pods go too. */
    private void collectPods(Deployment d) {
        client.pods().inNamespace(d.getMetadata().getNamespace()).withLabels(d.getSpec().getSelector().getMatchLabels()).delete();
    }

    private static <T> Watcher<T> on(Consumer<T> reconcile) {
        return on(reconcile, deleted -> { });
    }

    private static <T> Watcher<T> on(Consumer<T> reconcile, Consumer<T> deleted) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    reconcile.accept(resource);
                } else if (action == Action.DELETED) {
                    deleted.accept(resource);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test is over
            }
        };
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }
}
