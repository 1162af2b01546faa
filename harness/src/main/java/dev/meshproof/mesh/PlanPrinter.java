package dev.meshproof.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshproof.cluster.Cluster;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders an {@link InstallPlan} as the human-readable ordered plan that {@code install --dry-run} prints, and writes
 * values as YAML (also the values file {@link ChartRenderer} hands to Helm, so every string stays a string).
 */
public final class PlanPrinter {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .stringQuotingChecker(new PlainYamlStrings())
            .build());

    private PlanPrinter() {
    }

    /** @param chartSource where charts come from, {@link ChartSource#describe()} */
    public static String print(InstallPlan plan, String chartSource) {
        StringBuilder out = new StringBuilder();
        out.append("Meshproof install plan: Istio ").append(plan.istioVersion()).append(", mode ").append(plan.mode().flag())
                .append(", platform ").append(plan.platform().name().toLowerCase()).append('\n');
        out.append("Charts: ").append(chartSource).append('\n')
                .append("Each chart is rendered with helm-java template and its objects applied in Helm's kind order"
                        + " with server-side apply (field manager meshproof), labelled meshproof.dev/install=istio.\n");
        int n = 1;
        for (InstallPlan.Step step : plan.steps()) {
            out.append('\n').append(n++).append(". ").append(step.title()).append('\n');
            if (step instanceof InstallPlan.NamespaceStep ns) {
                out.append("   create namespace ").append(ns.namespace())
                        .append("; it holds the install inventory (ConfigMap meshproof-install) that uninstall reads\n");
            } else if (step instanceof InstallPlan.GatewayApiStep gw) {
                out.append("   manifest: ").append(gw.url()).append('\n')
                        .append("   skipped if gateways.gateway.networking.k8s.io already exists (Istio's docs do the same)\n");
            } else if (step instanceof InstallPlan.ChartStep chart) {
                out.append("   values:");
                if (chart.values().isEmpty()) {
                    out.append(" {} (chart defaults)\n");
                } else {
                    out.append('\n').append(indent(yaml(chart.values()), "     "));
                }
                if (chart.chart().equals("cni") && plan.platform() == Cluster.Platform.K3S && !hasCniBinDir(chart.values())) {
                    out.append("   cni.cniBinDir: read from the k3s node's containerd config at install time"
                            + " (else the platform-k3s default /var/lib/rancher/k3s/data/cni)\n");
                }
            }
            if (!step.waitsFor().isEmpty()) {
                out.append("   waits for:\n");
                step.waitsFor().forEach(r -> out.append("     - ").append(r.describe()).append('\n'));
            }
        }
        return out.toString();
    }

    private static boolean hasCniBinDir(Map<String, Object> values) {
        return values.get("cni") instanceof Map<?, ?> cni && cni.containsKey("cniBinDir");
    }

    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String text, String prefix) {
        StringBuilder b = new StringBuilder();
        text.lines().forEach(l -> b.append(prefix).append(l).append('\n'));
        return b.toString();
    }
}
