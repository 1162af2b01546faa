package dev.meshproof.mesh;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.core.Versions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns mode, platform, versions and the user's values into the ordered {@link InstallPlan}.
 * Pure: no cluster, no network. Every value set here comes from Istio's own install docs or charts;
 * the comments cite the Istio 1.29.6 sources, charts and docs each value comes from.
 */
public final class IstioPlanner {
    /**
     * All charts go to istio-system
     * (Istio's helm install docs: istio/istio.io:content/en/docs/ambient/install/helm/index.md).
     */
    public static final String NAMESPACE = "istio-system";

    /** The charts that render a ValidatingWebhookConfiguration (base: istiod-default-validator; istiod: istio-validator-&lt;ns&gt;). */
    private static final List<String> VALIDATING_CHARTS = List.of("base", "istiod");

    private IstioPlanner() {
    }

    public static InstallPlan plan(MeshMode mode, Cluster.Platform platform, Optional<String> cniBinDir,
                                   Versions versions, MeshValues userValues) {
        Versions.Istio istio = versions.istio();
        List<InstallPlan.Step> steps = new ArrayList<>();
        steps.add(new InstallPlan.NamespaceStep(NAMESPACE));
        // Order base -> Gateway API CRDs -> istiod -> cni -> ztunnel
        // (istio/istio.io:content/en/docs/ambient/install/helm/index.md).
        steps.add(chart("base", "istio-base", istio.version(), baseValues(), userValues,
                List.of(Readiness.crdsEstablished("chart base"))));
        Versions.GatewayApi gw = versions.gatewayApi();
        steps.add(new InstallPlan.GatewayApiStep(gw.version(), gw.channel(), gw.manifestUrl()));

        List<Readiness> istiodWaits = new ArrayList<>();
        // Deployment istiod, MutatingWebhookConfiguration istio-sidecar-injector (release namespace istio-system)
        // and GatewayClass istio-waypoint created by istiod when ambient is on
        // (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml,
        // pilot/pkg/config/kube/gateway/deploymentcontroller.go getBuiltinClasses).
        istiodWaits.add(Readiness.deploymentAvailable(NAMESPACE, "istiod"));
        if (mode.sidecars()) {
            istiodWaits.add(Readiness.webhookPresent("istio-sidecar-injector"));
        }
        if (mode.ambient()) {
            istiodWaits.add(Readiness.gatewayClassPresent("istio-waypoint"));
        }
        steps.add(withExtensionProviders(chart("istiod", "istiod", istio.version(), imageValues(mode, platform, istio), userValues, istiodWaits)));

        if (mode.ambient()) {
            Map<String, Object> cni = imageValues(mode, platform, istio);
            // cni.cniBinDir, not the top-level cniBinDir: the chart merges the platform profile's cni.* over its
            // defaults, then user values over that, then copies cni.* to the top level last
            // (istio/istio@1.29.6:manifests/charts/istio-cni/templates/zzz_profile.yaml, zzy_descope_legacy.yaml).
            cniBinDir.ifPresent(dir -> Values.put(cni, "cni.cniBinDir", dir));
            steps.add(chart("cni", "istio-cni", istio.version(), cni, userValues,
                    List.of(Readiness.daemonSetReady(NAMESPACE, "istio-cni-node"))));
            // profile=ambient on ztunnel too, or its image tag lacks -distroless (the chart's default is variant "":
            // istio/istio@1.29.6:manifests/charts/ztunnel/values.yaml; upstream does the same in
            // manifests/sample-charts/ambient/values.yaml).
            steps.add(chart("ztunnel", "ztunnel", istio.version(), imageValues(mode, platform, istio), userValues,
                    List.of(Readiness.daemonSetReady(NAMESPACE, "ztunnel"))));
        }
        return new InstallPlan(mode, platform, istio.version(), NAMESPACE, List.copyOf(steps));
    }

    /**
     * The plan for applying again over an Istio that is already there. The validating webhooks of base and istiod
     * render {@code failurePolicy: Ignore} unless Helm says the release is an upgrade; istiod flips them to Fail once it
     * serves. A forced server-side apply would take Ignore back, and invalid Istio config would be admitted until istiod
     * flips it again. Istio documents the way out for {@code helm template | kubectl apply --server-side}:
     * {@code base.validationFailurePolicy: Fail} (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/values.yaml,
     * read by templates/validatingwebhookconfiguration.yaml and base's defaultrevision-validatingwebhookconfiguration.yaml).
     * Set under the user's values, which still win.
     */
    public static InstallPlan overExistingInstall(InstallPlan plan) {
        Map<String, Object> failClosed = new LinkedHashMap<>();
        Values.put(failClosed, "base.validationFailurePolicy", "Fail");
        List<InstallPlan.Step> steps = plan.steps().stream().map(step -> step instanceof InstallPlan.ChartStep c
                && VALIDATING_CHARTS.contains(c.chart())
                ? new InstallPlan.ChartStep(c.chart(), c.release(), c.version(), c.namespace(), Values.merge(failClosed, c.values()), c.waitsFor())
                : step).toList();
        return new InstallPlan(plan.mode(), plan.platform(), plan.istioVersion(), plan.namespace(), steps);
    }

    /** The base chart needs no values: it carries the Istio CRDs as templates (manifests/charts/base/templates/crds.yaml). */
    private static Map<String, Object> baseValues() {
        return new LinkedHashMap<>();
    }

    /** Image hub/tag, profile and platform for istiod, cni and ztunnel. */
    private static Map<String, Object> imageValues(MeshMode mode, Cluster.Platform platform, Versions.Istio istio) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (mode.ambient()) {
            // profile=ambient on istiod, cni and ztunnel (istio/istio.io:content/en/docs/ambient/install/helm/index.md;
            // istio/istio@1.29.6:manifests/sample-charts/ambient/values.yaml); the sidecar baseline keeps the default profile.
            v.put("profile", "ambient");
        }
        // Explicit hub and tag, so --istio-version and the versions file decide the images, not the chart's stamp
        // (1.30.x charts default to registry.istio.io/release:
        // istio/istio.io:content/en/blog/2026/retirement-of-gcr.io-follow-up/index.md).
        // global.* reaches every image: istiod and cni fall back to global.hub/tag (their own hub/tag default to ""),
        // and ztunnel merges global.* over its stamped hub/tag
        // ("Flatten globals" in istio/istio@1.29.6:manifests/charts/ztunnel/templates/zzz_profile.yaml).
        Values.put(v, "global.hub", istio.hub());
        Values.put(v, "global.tag", istio.version());
        if (platform == Cluster.Platform.K3S) {
            // global.platform=k3s loads files/profile-platform-k3s.yaml (only cni.* keys; harmless on the other charts)
            // (istio/istio@1.29.6:manifests/helm-profiles/platform-k3s.yaml, manifests/zzz_profile.yaml).
            Values.put(v, "global.platform", "k3s");
        }
        return v;
    }

    /**
     * istiod's mesh config gets the user's extension providers plus Meshproof's {@value ExtensionProviders#MESHPROOF_OTEL}
     * (the trace-export check's collector; inert until a Telemetry names it, see {@link ExtensionProviders}). The chart
     * renders {@code meshConfig} into the {@code istio} ConfigMap's {@code mesh} key
     * (istio/istio@1.29.6:manifests/charts/istio-control/istio-discovery/templates/configmap.yaml). A list is replaced, not
     * merged, by Helm values, so the planner appends instead of letting the user's list drop Meshproof's provider.
     */
    private static InstallPlan.ChartStep withExtensionProviders(InstallPlan.ChartStep istiod) {
        Map<String, Object> values = Values.copyOf(istiod.values());
        Object user = values.get("meshConfig") instanceof Map<?, ?> m ? m.get("extensionProviders") : null;
        Values.put(values, "meshConfig.extensionProviders", ExtensionProviders.withMeshproof(user, "istiod values"));
        return new InstallPlan.ChartStep(istiod.chart(), istiod.release(), istiod.version(), istiod.namespace(), values, istiod.waitsFor());
    }

    private static InstallPlan.ChartStep chart(String chart, String release, String version, Map<String, Object> meshproof,
                                               MeshValues user, List<Readiness> waits) {
        return new InstallPlan.ChartStep(chart, release, version, NAMESPACE,
                Values.merge(meshproof, user.forChart(chart)), List.copyOf(waits));
    }
}
