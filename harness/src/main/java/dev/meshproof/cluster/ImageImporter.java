package dev.meshproof.cluster;

import java.nio.file.Path;

/** Loads an image tarball ({@code docker save} format, single platform) into the cluster's container runtime. */
@FunctionalInterface
public interface ImageImporter {
    /** @return the image reference(s) now present in the cluster */
    java.util.List<String> importImage(Path imageTar);
}
