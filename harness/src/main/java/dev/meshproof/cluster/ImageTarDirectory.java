package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code --preload DIR}: image tars saved on a machine with registry access ({@code docker save}), found by the image
 * references inside them ({@link ImageTar}), not by file name, so any naming works and one tar may hold several images.
 */
public final class ImageTarDirectory implements ImageSource {
    private final Path dir;
    private Map<String, Path> index;

    public ImageTarDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw MeshproofException.usage("--preload directory not found: " + dir, "pass a directory of docker save tars, or --preload docker");
        }
        this.dir = dir;
    }

    @Override
    public synchronized Path tarFor(String image) {
        Path tar = index().get(ImageTar.normalize(image));
        if (tar == null) {
            throw MeshproofException.environment("image " + image + " is in no tar in " + dir,
                    "on a machine with registry access: docker pull " + image + " && docker save --platform linux/amd64 " + image
                            + " -o FILE.tar, then put FILE.tar into " + dir + " (meshproof images lists every image a run needs)", null);
        }
        return tar;
    }

    @Override
    public String describe() {
        return "saved images in " + dir;
    }

    private Map<String, Path> index() {
        if (index == null) {
            index = new LinkedHashMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path tar : files.filter(f -> f.getFileName().toString().endsWith(".tar")).sorted().toList()) {
                    List<String> refs = ImageTar.references(tar);
                    refs.forEach(r -> index.putIfAbsent(ImageTar.normalize(r), tar));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return index;
    }
}
