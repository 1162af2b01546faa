package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --preload docker}: the images from the local Docker engine (pulled there once, through whatever mirror or
 * credentials Docker has), saved to a tar each as they are needed. Nothing is pulled here: an image the engine lacks
 * is exit 3 naming it.
 */
public final class DockerSavedImages implements ImageSource {
    private final DockerEngine docker;
    private final Path workDir;

    /** @param workDir where the tars are written (the run directory; they can be large) */
    public DockerSavedImages(DockerEngine docker, Path workDir) {
        this.docker = docker;
        this.workDir = workDir;
    }

    @Override
    public Path tarFor(String image) {
        if (!docker.hasImage(image)) {
            throw MeshproofException.environment("image " + image + " is not in the local Docker engine",
                    "pull it first (docker pull " + image + "; meshproof images lists every image a run needs), or use --preload DIR", null);
        }
        try {
            Files.createDirectories(workDir);
            Path tar = workDir.resolve(image.replaceAll("[^A-Za-z0-9._-]", "_") + ".tar");
            docker.save(image, tar);
            return tar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + workDir, e);
        }
    }

    @Override
    public String describe() {
        return "the local Docker engine";
    }
}
