package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.core.Waits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Istio by render-then-apply, as istioctl does: each chart is rendered with helm-java {@code template}, its objects
 * applied in Helm's kind order with server-side apply, labelled {@value Manifests#INSTALL_LABEL}, recorded in the
 * {@link Inventory}, and the step's readiness conditions awaited before the next step starts.
 */
public final class IstioInstaller implements MeshInstaller {
    /** istiod names its controllers so (istio/istio@1.29.6 pilot/pkg/features/pilot.go:278, pkg/config/constants/constants.go:171). */
    private static final List<String> ISTIO_GATEWAY_CONTROLLERS = List.of("istio.io/gateway-controller", "istio.io/mesh-controller");
    /**
     * Both of Istio's ValidatingWebhookConfigurations carry it (istio/istio@1.29.6:manifests/charts/base/templates/
     * defaultrevision-validatingwebhookconfiguration.yaml, manifests/charts/istio-control/istio-discovery/templates/
     * validatingwebhookconfiguration.yaml).
     */
    private static final String VALIDATOR_LABEL = "app";
    private static final String VALIDATOR_LABEL_VALUE = "istiod";
    /** istiod writes its root cert ConfigMap into every namespace with this label (pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go:45-51). */
    private static final String CA_ROOT_CONFIGMAP = "istio-ca-root-cert";

    private final KubernetesClient client;
    private final InstallPlan plan;
    private final ChartSource charts;
    private final ChartRenderer renderer;
    private final ObjectApplier applier;
    private final Waits waits;
    private final RunDirectory out;
    private final String kubeVersion;
    private final ReadinessChecks checks;
    private final List<Path> manifests = new ArrayList<>();

    /**
     * @param workDir     where rendered manifests and effective values are written (the run directory's {@code mesh/})
     * @param kubeVersion the cluster's version, passed to Helm's template (null: Helm's default)
     */
    public IstioInstaller(KubernetesClient client, InstallPlan plan, ChartSource charts, ObjectApplier applier,
                          Waits waits, Path workDir, String kubeVersion) {
        this.client = client;
        this.plan = plan;
        this.charts = charts;
        this.renderer = new ChartRenderer(workDir.resolve("values"));
        this.applier = applier;
        this.waits = waits;
        this.out = RunDirectory.at(workDir);
        this.kubeVersion = kubeVersion;
        this.checks = new ReadinessChecks(client);
    }

    @Override
    public InstallPlan plan() {
        return plan;
    }

    @Override
    public List<Path> appliedManifests() {
        return List.copyOf(manifests);
    }

    @Override
    public void install() {
        Progress.step("installing Istio " + plan.istioVersion() + " (" + plan.mode().flag() + ") from " + charts.describe());
        Inventory inventory = Inventory.read(client, plan.namespace());
        InstallPlan effective = plan;
        if (!client.admissionRegistration().v1().validatingWebhookConfigurations().withLabel(VALIDATOR_LABEL, VALIDATOR_LABEL_VALUE)
                .list().getItems().isEmpty()) {
            Progress.info("Istio's validating webhooks exist already: applying over them with base.validationFailurePolicy=Fail,"
                    + " so that they stay fail-closed");
            effective = IstioPlanner.overExistingInstall(plan);
        }
        int n = 0;
        for (InstallPlan.Step step : effective.steps()) {
            n++;
            long start = System.nanoTime();
            Progress.step("step " + n + "/" + effective.steps().size() + ": " + step.title());
            List<String> crds = List.of();
            if (step instanceof InstallPlan.NamespaceStep ns) {
                Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(ns.namespace()).endMetadata().build();
                applyAll(List.of(namespace), "namespace", inventory);
            } else if (step instanceof InstallPlan.GatewayApiStep gw) {
                crds = applyGatewayApi(gw, inventory);
            } else if (step instanceof InstallPlan.ChartStep chart) {
                crds = applyChart(chart, n, inventory);
            }
            for (Readiness r : step.waitsFor()) {
                List<String> crdNames = crds;
                waits.until(r.describe(), () -> checks.missing(r, crdNames));
            }
            Progress.info(String.format("step %d done in %.1fs", n, (System.nanoTime() - start) / 1e9));
        }
    }

    private List<String> applyChart(InstallPlan.ChartStep chart, int n, Inventory inventory) {
        String rendered = renderer.render(charts, chart, kubeVersion);
        manifests.add(out.write(String.format("manifests/%02d-%s.yaml", n, chart.release()), rendered));
        List<HasMetadata> objects = Manifests.parse(rendered);
        applyAll(objects, chart.release(), inventory);
        return crdNames(objects);
    }

    /**
     * Istio's docs boilerplate installs the CRDs only when gateways.gateway.networking.k8s.io is absent
     * (istio/istio.io:content/en/boilerplates/gateway-api-install-crds.md); so does this.
     */
    private List<String> applyGatewayApi(InstallPlan.GatewayApiStep gw, Inventory inventory) {
        Path file = charts.gatewayApi(gw.version(), gw.channel(), gw.url());
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<HasMetadata> objects = Manifests.parse(yaml);
        for (HasMetadata o : objects) {
            String bundle = o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(GatewayApi.BUNDLE_VERSION);
            if (!(o instanceof CustomResourceDefinition) || !gw.version().equals(bundle)) {
                throw MeshproofException.usage("Gateway API manifest " + file + " is not the " + gw.version() + " CRD bundle: "
                                + Manifests.describe(o) + " has " + GatewayApi.BUNDLE_VERSION + "=" + bundle,
                        "replace it with " + gw.url());
            }
        }
        manifests.add(out.write("manifests/" + file.getFileName(), yaml));
        CustomResourceDefinition existing = client.apiextensions().v1().customResourceDefinitions().withName(GatewayApi.GATEWAYS_CRD).get();
        if (existing != null && !owned(existing, inventory)) {
            String version = existing.getMetadata().getAnnotations() == null ? "unknown" : existing.getMetadata().getAnnotations().get(GatewayApi.BUNDLE_VERSION);
            Progress.info("Gateway API CRDs already installed (bundle " + version + "): kept as they are, and kept on uninstall");
        } else {
            applyAll(objects, "gateway-api", inventory);
        }
        return crdNames(objects);
    }

    /** Applies in Helm's kind order; records what this install owns (new objects, or ones Meshproof labelled before). */
    private void applyAll(List<HasMetadata> objects, String component, Inventory inventory) {
        for (HasMetadata object : Manifests.inInstallOrder(objects)) {
            Manifests.prepare(object, component, plan.namespace());
            HasMetadata existing;
            try {
                existing = client.resource(object).get();
                applier.apply(object);
            } catch (KubernetesClientException e) {
                throw MeshproofException.environment("the cluster refused " + Manifests.describe(object) + " (step " + component + "): HTTP "
                                + e.getCode() + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                        "check that your credentials may create it (cluster-admin is needed to install Istio)", e);
            }
            boolean owned = existing == null || owned(existing, inventory);
            if (owned) {
                inventory.add(Inventory.Ref.of(object));
            } else {
                Progress.info("updated pre-existing " + Manifests.describe(object) + " (not Meshproof's: uninstall leaves it)");
            }
        }
    }

    private static boolean owned(HasMetadata existing, Inventory inventory) {
        return inventory.contains(Inventory.Ref.of(existing))
                || existing.getMetadata().getLabels() != null && existing.getMetadata().getLabels().containsKey(Manifests.INSTALL_LABEL);
    }

    private static List<String> crdNames(List<HasMetadata> objects) {
        return objects.stream().filter(CustomResourceDefinition.class::isInstance).map(o -> o.getMetadata().getName()).toList();
    }

    @Override
    public void uninstall() {
        Inventory inventory = Inventory.read(client, plan.namespace());
        if (!inventory.exists()) {
            Progress.info("no Meshproof install inventory in namespace " + plan.namespace() + ": nothing to uninstall");
            return;
        }
        Progress.step("uninstalling Istio: " + inventory.refs().size() + " objects, in reverse order");
        List<Inventory.Ref> refs = new ArrayList<>(inventory.refs());
        java.util.Collections.reverse(refs);
        Inventory.Ref meshNamespace = refs.stream()
                .filter(r -> r.kind().equals("Namespace") && r.name().equals(plan.namespace())).findFirst().orElse(null);
        for (Inventory.Ref ref : refs) {
            if (!ref.equals(meshNamespace)) {
                delete(ref);
            }
        }
        deleteIstiodLeftovers();
        inventory.delete();
        if (meshNamespace != null) {
            delete(meshNamespace);
        }
        Progress.info("Istio uninstalled");
    }

    private void delete(Inventory.Ref ref) {
        HasMetadata stub = ref.stub();
        client.resource(stub).delete();
        waits.until("deletion of " + ref.describe(), () -> client.resource(stub).get() == null ? null : ref.describe() + " still exists");
    }

    /**
     * What istiod itself created at run time and no chart owns: its GatewayClasses (istio, istio-waypoint) and the
     * istio-ca-root-cert ConfigMap in every namespace. Deleted once istiod's pods are gone, so it cannot recreate them.
     */
    private void deleteIstiodLeftovers() {
        waits.until("istiod pods to terminate", () -> {
            int left = client.pods().inNamespace(plan.namespace()).withLabel("app", "istiod").list().getItems().size();
            return left == 0 ? null : left + " istiod pods still exist";
        });
        if (client.apiextensions().v1().customResourceDefinitions().withName("gatewayclasses." + GatewayApi.GROUP).get() != null) {
            for (GenericKubernetesResource gc : client.genericKubernetesResources(GatewayApi.API_VERSION, "GatewayClass").list().getItems()) {
                Object spec = gc.getAdditionalProperties().get("spec");
                Object controller = spec instanceof Map<?, ?> m ? m.get("controllerName") : null;
                if (ISTIO_GATEWAY_CONTROLLERS.contains(Objects.toString(controller, ""))) {
                    Progress.info("deleting GatewayClass " + gc.getMetadata().getName() + " (created by istiod)");
                    client.genericKubernetesResources(GatewayApi.API_VERSION, "GatewayClass").withName(gc.getMetadata().getName()).delete();
                }
            }
        }
        client.configMaps().inAnyNamespace().withLabel("istio.io/config", "true").list().getItems().stream()
                .filter(cm -> CA_ROOT_CONFIGMAP.equals(cm.getMetadata().getName()))
                .forEach(cm -> client.configMaps().inNamespace(cm.getMetadata().getNamespace()).withName(CA_ROOT_CONFIGMAP).delete());
    }

}
