package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts images into the cluster's container runtime before anything asks for them, so the install pulls nothing:
 * for air-gapped labs, and so that a registry's rate limit cannot fail a nightly run. Each image is taken from an
 * {@link ImageSource} and imported with the cluster's {@link ImageImporter} (k3s: {@code ctr images import}); an image
 * an earlier tar already brought in is not imported again. The pods then find the image on the node: Istio's charts
 * pin non-latest tags, so the kubelet's default pull policy is IfNotPresent.
 */
public final class ImagePreload {
    private ImagePreload() {
    }

    /** The importer of {@code cluster}, or exit 2 when it has none (a cluster Meshproof did not start). */
    public static ImageImporter importerOf(Cluster cluster) {
        return cluster.imageImporter().orElseThrow(() -> MeshproofException.usage("--preload needs a cluster Meshproof can import images into"
                        + " (--cluster k3s); " + cluster.description() + " is not one",
                "load the images on your cluster's nodes yourself (meshproof images lists them), or use --cluster k3s"));
    }

    /** Imports every image of {@code images}; returns the tars imported, in order. */
    public static List<Path> into(ImageImporter importer, ImageSource source, List<String> images) {
        Progress.step("preloading " + images.size() + " images from " + source.describe());
        Set<String> present = new LinkedHashSet<>();
        List<Path> imported = new ArrayList<>();
        for (String image : images) {
            if (present.contains(ImageTar.normalize(image))) {
                continue;
            }
            Path tar = source.tarFor(image);
            long start = System.nanoTime();
            present.addAll(importer.importImage(tar));
            imported.add(tar);
            if (!present.contains(ImageTar.normalize(image))) {
                throw MeshproofException.environment("imported " + tar + " but it did not bring " + image,
                        "check which images the tar holds: tar -xOf " + tar + " manifest.json", null);
            }
            Progress.info(String.format("imported %s (%.1fs)", image, (System.nanoTime() - start) / 1e9));
        }
        return imported;
    }
}
