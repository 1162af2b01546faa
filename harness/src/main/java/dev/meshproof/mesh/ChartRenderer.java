package dev.meshproof.mesh;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Renders a chart to plain manifests with helm-java's {@code template} (Helm v3 compiled in as a native library:
 * no helm binary, no network, no cluster). Values go in as one YAML file, so types survive exactly
 * (a {@code --set} string would turn "true" into a bool and 1.29 into a number).
 */
public final class ChartRenderer {
    private final Path workDir;

    /** @param workDir where the effective values files are written (the run directory's {@code mesh/} folder) */
    public ChartRenderer(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * @param kubeVersion the target cluster's version (e.g. v1.34.6+k3s1); offline Helm would otherwise claim
     *                    v1.20.0 (helm-java 0.0.21's offline template reports Capabilities.KubeVersion v1.20.0), and
     *                    charts gate templates on it. Null: Helm's default.
     */
    public String render(Path chart, String release, String namespace, Map<String, Object> values, String kubeVersion) {
        UnrenderedChartParts.requireNone(chart);
        Path valuesFile = workDir.resolve(release + "-values.yaml");
        try {
            Files.createDirectories(workDir);
            Files.writeString(valuesFile, PlanPrinter.yaml(values));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + valuesFile, e);
        }
        TemplateCommand template = new Helm(chart).template()
                .withName(release)
                .withNamespace(namespace)
                .withValuesFile(valuesFile);
        if (kubeVersion != null) {
            template = template.withKubeVersion(kubeVersion);
        }
        try {
            return template.call();
        } catch (RuntimeException e) {
            throw MeshproofException.usage("chart " + chart.getFileName() + " (release " + release + ") cannot be rendered: "
                            + firstLine(e.getMessage()),
                    "check the chart and your --values for it (effective values: " + valuesFile + ")");
        }
    }

    /** One step of a plan: its chart from {@code charts}, with the step's release, namespace and values. */
    public String render(ChartSource charts, InstallPlan.ChartStep step, String kubeVersion) {
        return render(charts.chart(step.chart(), step.version()), step.release(), step.namespace(), step.values(), kubeVersion);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
