package dev.meshproof.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A classic (non-OCI) Helm chart repository, read the way Helm reads it: {@code <repo>/index.yaml} names each
 * chart version's archive URL and its sha256 {@code digest}. The archive is downloaded once, its digest verified,
 * and kept in a local cache ({@code <cache>/<name>-<version>.tgz}) so later runs need no network.
 * Istio publishes every release at https://blob.istio.io/istio-release/charts
 * (istio/istio.io:content/en/blog/2026/retirement-of-gcp/index.md).
 */
public final class HelmRepository implements ChartSource {
    /** Istio's index.yaml lists every chart of every release: several MB, above SnakeYAML's 3 MB default limit. */
    private static final int INDEX_LIMIT = 128 * 1024 * 1024;

    private final URI repository;
    private final Path cacheDir;
    private final Downloads downloads = new Downloads("use --charts-dir with downloaded charts");
    private JsonNode index;

    public HelmRepository(String repositoryUrl, Path cacheDir) {
        this.repository = URI.create(repositoryUrl.endsWith("/") ? repositoryUrl : repositoryUrl + "/");
        this.cacheDir = cacheDir;
    }

    /** $XDG_CACHE_HOME/meshproof/charts, else ~/.cache/meshproof/charts. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("meshproof").resolve("charts");
    }

    @Override
    public String describe() {
        return "Helm repository " + repository + " (sha256 digests from its index.yaml verified; cached in " + cacheDir + ")";
    }

    @Override
    public synchronized Path chart(String name, String version) {
        Path cached = cacheDir.resolve(name + "-" + version + ".tgz");
        Path digestFile = cacheDir.resolve(name + "-" + version + ".tgz.sha256");
        if (Files.isRegularFile(cached) && Files.isRegularFile(digestFile) && readString(digestFile).equals(Downloads.sha256(cached))) {
            return cached;
        }
        JsonNode entry = entry(name, version);
        String digest = entry.path("digest").asText("");
        if (digest.isBlank()) {
            throw MeshproofException.environment("chart " + name + " " + version + " in " + indexUri() + " has no digest, so it cannot be verified",
                    "use --charts-dir with charts you verified yourself", null);
        }
        URI url = repository.resolve(entry.path("urls").path(0).asText());
        Progress.info("fetching chart " + name + " " + version + " from " + url);
        Path tmp = downloads.fetch(url, cacheDir, "chart " + name + " " + version);
        String actual = Downloads.sha256(tmp);
        if (!actual.equalsIgnoreCase(digest)) {
            Downloads.deleteQuietly(tmp);
            throw MeshproofException.environment("chart " + name + " " + version + " from " + url + " failed verification: sha256 "
                            + actual + " but index.yaml says " + digest,
                    "the repository or a proxy served a different file; retry later or use --charts-dir with verified charts", null);
        }
        try {
            Files.createDirectories(cacheDir);
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(digestFile, actual);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache chart in " + cacheDir, e);
        }
        return cached;
    }

    /**
     * The Gateway API release asset. GitHub publishes no digest next to it, so it is fetched over HTTPS once and
     * cached; its CRDs carry the bundle version that is checked after apply.
     */
    @Override
    public synchronized Path gatewayApi(String version, String channel, String url) {
        Path cached = cacheDir.resolve(ChartSource.gatewayApiFileName(version, channel));
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        Progress.info("fetching Gateway API " + version + " " + channel + " CRDs from " + url);
        Path tmp = downloads.fetch(URI.create(url), cacheDir, "Gateway API " + version + " manifest");
        try {
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache " + cached, e);
        }
        return cached;
    }

    private JsonNode entry(String name, String version) {
        JsonNode versions = index().path("entries").path(name);
        if (!versions.isArray() || versions.isEmpty()) {
            throw MeshproofException.usage("chart " + name + " is not in " + indexUri(), "check the chart repository URL");
        }
        for (JsonNode v : versions) {
            if (version.equals(v.path("version").asText())) {
                if (!v.path("urls").isArray() || v.path("urls").isEmpty()) {
                    throw MeshproofException.environment("chart " + name + " " + version + " in " + indexUri() + " has no download URL", null, null);
                }
                return v;
            }
        }
        throw MeshproofException.usage("chart " + name + " version " + version + " is not in " + indexUri(),
                "check --istio-version (published versions are listed in that index)");
    }

    private JsonNode index() {
        if (index == null) {
            Progress.info("reading chart index " + indexUri());
            Path file = downloads.fetch(indexUri(), cacheDir, "chart index");
            try {
                LoaderOptions options = new LoaderOptions();
                options.setCodePointLimit(INDEX_LIMIT);
                index = new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build()).readTree(file.toFile());
            } catch (IOException e) {
                throw MeshproofException.environment("chart index " + indexUri() + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""),
                        "check the chart repository URL", e);
            } finally {
                Downloads.deleteQuietly(file);
            }
        }
        return index;
    }

    private URI indexUri() {
        return repository.resolve("index.yaml");
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }

}
