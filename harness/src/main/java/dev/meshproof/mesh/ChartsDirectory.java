package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Offline charts ({@code --charts-dir DIR}): {@code DIR/<name>-<version>.tgz} as Helm's repository names them
 * (e.g. istiod-1.29.6.tgz), or an unpacked chart directory {@code DIR/<name>/}; the Gateway API CRDs as
 * {@code DIR/gateway-api-<version>-<channel>-install.yaml} (e.g. gateway-api-v1.4.1-standard-install.yaml).
 * Nothing is fetched.
 */
public final class ChartsDirectory implements ChartSource {
    private final Path dir;

    public ChartsDirectory(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path chart(String name, String version) {
        Path archive = dir.resolve(name + "-" + version + ".tgz");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        Path unpacked = dir.resolve(name);
        if (Files.isRegularFile(unpacked.resolve("Chart.yaml"))) {
            return unpacked;
        }
        throw MeshproofException.usage("chart " + name + " " + version + " not found in --charts-dir " + dir
                        + ": expected " + archive.getFileName() + " or " + name + "/Chart.yaml",
                "download it from the chart repository (" + name + "-" + version + ".tgz) into " + dir + ", or drop --charts-dir to fetch it");
    }

    @Override
    public Path gatewayApi(String version, String channel, String url) {
        Path file = dir.resolve(ChartSource.gatewayApiFileName(version, channel));
        if (!Files.isRegularFile(file)) {
            throw MeshproofException.usage("Gateway API manifest not found in --charts-dir " + dir + ": expected " + file.getFileName(),
                    "download " + url + " to " + file);
        }
        return file;
    }

    @Override
    public String describe() {
        return "charts directory " + dir + " (offline: nothing is fetched)";
    }
}
