package dev.meshproof.cli;

import dev.meshproof.cluster.Cluster;
import dev.meshproof.cluster.ClusterOptions;
import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.DockerSavedImages;
import dev.meshproof.cluster.ImagePreload;
import dev.meshproof.cluster.ImageSource;
import dev.meshproof.cluster.ImageTarDirectory;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.RunDirectory;
import dev.meshproof.mesh.ChartRenderer;
import dev.meshproof.mesh.InstallPlan;
import dev.meshproof.mesh.MeshImages;
import dev.meshproof.mesh.MeshInstaller;
import dev.meshproof.mesh.MeshInstallers;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * {@code --preload DIR|docker}: before the install, import into every k3s node each image the install will make it
 * pull — the same list {@code meshproof images} prints for the mode, read off the rendered charts — so the install
 * pulls nothing. DIR holds {@code docker save} tars; {@code docker} saves them from the local Docker engine.
 */
final class PreloadOption {
    static final String DOCKER = "docker";

    private PreloadOption() {
    }

    /** The source for {@code value}, validated before anything starts; null when the flag was not given. */
    static ImageSource parse(String value, ClusterOptions cluster, DockerEngine docker, RunDirectory run) {
        if (value == null) {
            return null;
        }
        if (!ClusterOptions.K3S.equals(cluster.kind())) {
            throw MeshproofException.usage("--preload needs --cluster k3s (Meshproof imports the images into the k3s it starts)",
                    "on your own cluster, load the images on its nodes yourself: meshproof images lists them");
        }
        return DOCKER.equals(value) ? new DockerSavedImages(docker, run.resolve("preload")) : new ImageTarDirectory(Path.of(value));
    }

    /**
     * {@code installers}, preceded by the preload of the images the installer's plan needs; {@code installers} itself
     * when {@code source} is null.
     */
    static Function<Cluster, MeshInstaller> first(ImageSource source, Function<Cluster, MeshInstaller> installers,
                                                  MeshInstallers.Options options, RunDirectory run) {
        if (source == null) {
            return installers;
        }
        return cluster -> {
            MeshInstaller installer = installers.apply(cluster);
            into(cluster, source, installer.plan(), options, run);
            return installer;
        };
    }

    /** Imports into {@code cluster} (every node of it) the images an install of {@code plan} would pull. */
    static void into(Cluster cluster, ImageSource source, InstallPlan plan, MeshInstallers.Options options, RunDirectory run) {
        List<String> images = MeshImages.of(plan, options.chartSource(), new ChartRenderer(run.resolve("mesh/preload-values")), null);
        ImagePreload.into(ImagePreload.importerOf(cluster), source, images);
    }
}
