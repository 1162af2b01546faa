package dev.meshproof.mesh;

import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** helm-java template on charts the test writes to disk: no network, no cluster. */
class ChartRendererTest {

    @TempDir
    Path tmp;

    private Path writeChart() throws IOException {
        Path chart = Files.createDirectories(tmp.resolve("probe/templates"));
        Files.writeString(chart.getParent().resolve("Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
        Files.writeString(chart.getParent().resolve("values.yaml"), "greeting: from-defaults\nnested: {keep: kept, replace: default}\n");
        Files.writeString(chart.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {{ .Release.Name }}-cm
                  namespace: {{ .Release.Namespace }}
                data:
                  greeting: {{ .Values.greeting | quote }}
                  keep: {{ .Values.nested.keep | quote }}
                  replace: {{ .Values.nested.replace | quote }}
                  flagType: {{ kindOf .Values.flag | quote }}
                  version: {{ .Values.version | quote }}
                  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
                """);
        return chart.getParent();
    }

    @Test
    void valuesReachTheTemplatesWithTheirTypes() throws IOException {
        Path chart = writeChart();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("greeting", "hi-from-meshproof");
        values.put("nested", Map.of("replace", "overridden"));
        values.put("flag", true);
        values.put("version", "1.29");
        String out = new ChartRenderer(tmp.resolve("values")).render(chart, "rel1", "probe-ns", values, "v1.34.6+k3s1");

        ConfigMap cm = (ConfigMap) Manifests.parse(out).get(0);
        assertThat(cm.getMetadata().getName()).isEqualTo("rel1-cm");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("probe-ns");
        assertThat(cm.getData()).containsEntry("greeting", "hi-from-meshproof")
                .containsEntry("keep", "kept")              // chart defaults merge under our values
                .containsEntry("replace", "overridden")
                .containsEntry("flagType", "bool")           // a YAML values file keeps types (--set strings would not)
                .containsEntry("version", "1.29")            // ... and keeps "1.29" a string
                .containsEntry("kubeVersion", "v1.34.6");    // the cluster's version, not offline Helm's v1.20.0
        assertThat(tmp.resolve("values/rel1-values.yaml")).content().contains("greeting: hi-from-meshproof");
    }

    @Test
    void templateErrorIsUsageErrorNamingChartAndValuesFile() throws IOException {
        Path chart = writeChart();
        Files.writeString(chart.resolve("templates/fail.yaml"), "{{ if .Values.boom }}{{ fail \"unknown profile boom\" }}{{ end }}\n");
        assertThatThrownBy(() -> new ChartRenderer(tmp.resolve("values")).render(chart, "rel1", "ns", Map.of("boom", true), null))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).startsWith("chart probe (release rel1) cannot be rendered: ").contains("unknown profile boom");
                    assertThat(e.hint()).contains(tmp.resolve("values/rel1-values.yaml").toString());
                });
    }

    @Test
    void testChartsRenderLikeIstiosForTheValuesMeshproofSets() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("profile", "ambient");
        Values.put(values, "global.hub", "docker.io/istio");
        Values.put(values, "global.tag", "1.29.6");
        String out = new ChartRenderer(tmp).render(TestCharts.dir().resolve("ztunnel"), "ztunnel", "istio-system", values, null);
        assertThat(out).contains("image: \"docker.io/istio/ztunnel:1.29.6-distroless\"").contains("namespace: istio-system");
    }

    @Test
    void stringsThatLookLikeOtherYamlTypesStayStrings() throws IOException {
        // A user's "1.30" once reached Helm as the number 1.3: the values file dropped the quotes.
        Path chart = Files.createDirectories(tmp.resolve("types/templates")).getParent();
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: types\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("templates/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: types}
                data:
                {{- range $i, $v := .Values.strings }}
                  k{{ $i }}: {{ printf "%s %s" (kindOf $v) $v | quote }}
                {{- end }}
                """);
        List<String> tricky = List.of("1.30", "1", "010", "0x1F", "0o17", "1e3", "1_000", "-1", "+1", ".5", ".inf", "-.Inf", ".NaN",
                "yes", "No", "on", "OFF", "y", "N", "true", "False", "null", "~", "", "1:20", "2026-08-01", "a: b", "#x", "@x", "*x", "&x",
                "!x", "[x]", "{x}", "x,y", "'x'", "\"x\"", "%x", "`x", "|", ">", "- x", "docker.io/istio", "1.29.6", "default:debug", "/opt/cni/bin");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("strings", tricky);
        ConfigMap cm = (ConfigMap) Manifests.parse(new ChartRenderer(tmp.resolve("values")).render(chart, "t", "ns", values, null)).get(0);
        for (int i = 0; i < tricky.size(); i++) {
            assertThat(cm.getData().get("k" + i)).as(tricky.get(i)).isEqualTo("string " + tricky.get(i));
        }
        assertThat(PlanPrinter.yaml(Map.of("tag", "1.30"))).isEqualTo("tag: \"1.30\"\n");
        assertThat(PlanPrinter.yaml(Map.of("hub", "docker.io/istio", "dir", "/opt/cni/bin"))).doesNotContain("\"");
    }

    @Test
    void aChartWithAHookOrACrdsFolderFailsLoudlyInsteadOfInstallingHalfOfIt() throws IOException {
        // helm template's output has neither hooks nor crds/ files: rendering on would apply the chart without them
        Path chart = writeChart();
        Files.writeString(chart.resolve("templates/job.yaml"), """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations:
                    "helm.sh/hook": pre-install
                """);
        Files.createDirectories(chart.resolve("crds"));
        Files.writeString(chart.resolve("crds/things.yaml"), "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n");
        assertThatThrownBy(() -> new ChartRenderer(tmp.resolve("values")).render(chart, "rel1", "ns", Map.of(), null))
                .isInstanceOfSatisfying(MeshproofException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("chart probe has parts that helm template leaves out, so Meshproof would install"
                            + " only part of it: crds/things.yaml (crds/ folder), templates/job.yaml (Helm hook)");
                });
        // the same for a packaged chart, where entries start with the chart's folder
        Path packaged = Files.createDirectories(tmp.resolve("packaged"));
        new com.marcnuri.helm.Helm(chart).packageIt().withDestination(packaged).call();
        assertThat(UnrenderedChartParts.find(packaged.resolve("probe-0.1.0.tgz")))
                .containsExactlyInAnyOrder("crds/things.yaml (crds/ folder)", "templates/job.yaml (Helm hook)");
    }

    @Test
    void istiosTestChartsHaveNeitherHooksNorACrdsFolder() {
        for (String chart : List.of("base", "istiod", "cni", "ztunnel")) {
            assertThat(UnrenderedChartParts.find(TestCharts.dir().resolve(chart))).as(chart).isEmpty();
        }
    }
}
