package dev.meshproof.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.core.MeshproofException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The image references named inside an image tarball: {@code manifest.json} {@code RepoTags} (docker save format,
 * also written by Jib's TarImage), else {@code index.json} name annotations (OCI layout).
 */
public final class ImageTar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageTar() {
    }

    /** @throws MeshproofException exit 2 naming the file when it is missing, unreadable or names no image */
    public static List<String> references(Path tar) {
        if (!Files.isRegularFile(tar)) {
            throw MeshproofException.usage("image tar not found: " + tar, "build or save the image first (docker save NAME:TAG -o FILE)");
        }
        JsonNode manifest = null;
        JsonNode index = null;
        try (InputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)))) {
            TarArchiveInputStream entries = (TarArchiveInputStream) in;
            for (TarArchiveEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (name.equals("manifest.json")) {
                    manifest = JSON.readTree(entries.readAllBytes());
                } else if (name.equals("index.json")) {
                    index = JSON.readTree(entries.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw MeshproofException.usage("image tar " + tar + " is not a readable tar: " + e.getMessage(),
                    "save the image with: docker save NAME:TAG -o FILE");
        }
        Set<String> refs = new LinkedHashSet<>();
        if (manifest != null) {
            manifest.forEach(m -> m.path("RepoTags").forEach(t -> refs.add(t.asText())));
        }
        if (refs.isEmpty() && index != null) {
            index.path("manifests").forEach(m -> {
                JsonNode annotations = m.path("annotations");
                String name = annotations.path("io.containerd.image.name").asText(annotations.path("org.opencontainers.image.ref.name").asText(""));
                if (!name.isEmpty()) {
                    refs.add(name);
                }
            });
        }
        if (refs.isEmpty()) {
            throw MeshproofException.usage("image tar " + tar + " names no image (no RepoTags in manifest.json, no name in index.json)",
                    "save it with a tag: docker save NAME:TAG -o FILE");
        }
        return new ArrayList<>(refs);
    }

    /**
     * The reference as containerd lists it: {@code busybox} → {@code docker.io/library/busybox:latest},
     * {@code org/app:1} → {@code docker.io/org/app:1}; references with a registry host are kept.
     */
    public static String normalize(String ref) {
        String name = ref;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!hasRegistry) {
            name = "docker.io/" + (slash < 0 ? "library/" : "") + name;
        }
        int lastSlash = name.lastIndexOf('/');
        boolean hasTagOrDigest = name.indexOf(':', lastSlash) >= 0 || name.contains("@");
        return hasTagOrDigest ? name : name + ":latest";
    }
}
