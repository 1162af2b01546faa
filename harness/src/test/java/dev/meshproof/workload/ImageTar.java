package dev.meshproof.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** Reads a {@code docker save} tar as Jib writes it: manifest.json, the image config, and the files in every layer. */
record ImageTar(JsonNode manifest, JsonNode config, Set<String> files) {

    static ImageTar read(Path tar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                entries.put(e.getName(), t.readAllBytes());
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = json.readTree(entries.get(manifest.get("Config").asText()));
        Set<String> files = new LinkedHashSet<>();
        for (JsonNode layer : manifest.get("Layers")) {
            try (TarArchiveInputStream t = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(entries.get(layer.asText()))))) {
                for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                    files.add(e.getName());
                }
            }
        }
        return new ImageTar(manifest, config, files);
    }

    JsonNode containerConfig() {
        return config.get("config");
    }
}
