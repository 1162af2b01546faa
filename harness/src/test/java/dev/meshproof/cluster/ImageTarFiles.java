package dev.meshproof.cluster;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes small tar files with given entries (image tar layouts without real layers). */
final class ImageTarFiles {
    private ImageTarFiles() {
    }

    static Path write(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    static Path dockerSave(Path file, String... repoTags) throws IOException {
        String tags = String.join("\",\"", repoTags);
        return write(file, Map.of("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"" + tags + "\"],\"Layers\":[]}]",
                "c.json", "{}"));
    }
}
