package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The parts of a chart that Meshproof's render would silently leave out. helm-java's {@code template} returns only
 * the release's manifest ({@code rel.Manifest}; manusa/helm-java native/internal/helm/template.go), so Helm hooks
 * (templates annotated {@code helm.sh/hook}) and the files of a {@code crds/} folder never reach the cluster. No Istio
 * 1.29.6 chart has either (its CRDs are templates: istio/istio@1.29.6:manifests/charts/base/templates/crds.yaml); if
 * a chart ever does, the install stops before applying anything rather than install half of it.
 */
final class UnrenderedChartParts {
    private static final String HOOK_ANNOTATION = "helm.sh/hook";

    private UnrenderedChartParts() {
    }

    /** Exit 2 naming the chart and each file with a hook or under {@code crds/}; returns quietly otherwise. */
    static void requireNone(Path chart) {
        List<String> found = find(chart);
        if (!found.isEmpty()) {
            throw MeshproofException.usage("chart " + chart.getFileName() + " has parts that helm template leaves out, so Meshproof"
                            + " would install only part of it: " + String.join(", ", found),
                    "use a chart version without Helm hooks or a crds/ folder, or install this one with helm itself");
        }
    }

    /** "templates/x.yaml (Helm hook)" or "crds/y.yaml (crds/ folder)", paths relative to the chart (subcharts included). */
    static List<String> find(Path chart) {
        List<String> found = new ArrayList<>();
        try {
            if (Files.isDirectory(chart)) {
                try (Stream<Path> files = Files.walk(chart)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        inspect(chart.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), found);
                    }
                }
            } else {
                try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(chart)));
                     TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                        if (e.isFile()) {
                            // archive entries start with the chart's own folder: <name>/templates/...
                            String path = e.getName().substring(e.getName().indexOf('/') + 1);
                            inspect(path, tar.readAllBytes(), found);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + chart, e);
        }
        return found;
    }

    private static void inspect(String path, byte[] content, List<String> found) {
        List<String> segments = List.of(path.split("/"));
        if (folderOfAChart(segments, "crds")) {
            found.add(path + " (crds/ folder)");
        } else if (folderOfAChart(segments, "templates") && new String(content, StandardCharsets.UTF_8).contains(HOOK_ANNOTATION)) {
            found.add(path + " (Helm hook)");
        }
    }

    /** {@code folder} at the chart's root or at a subchart's root (charts/&lt;sub&gt;/folder/...). */
    private static boolean folderOfAChart(List<String> segments, String folder) {
        int i = segments.indexOf(folder);
        return i >= 0 && i < segments.size() - 1 && (i == 0 || i >= 2 && segments.get(i - 2).equals("charts"));
    }
}
