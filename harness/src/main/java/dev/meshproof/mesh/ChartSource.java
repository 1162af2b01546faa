package dev.meshproof.mesh;

import java.nio.file.Path;

/**
 * Where the install's inputs come from: the Istio chart archives and the Gateway API CRD manifest.
 * Either fetched (Istio's Helm repository and the Gateway API release asset, cached and digest-verified)
 * or read from a local {@code --charts-dir} (offline).
 */
public interface ChartSource {

    /** The local path of chart {@code name} at {@code version}: a .tgz archive or an unpacked chart directory. */
    Path chart(String name, String version);

    /** The local path of the Gateway API install manifest for {@code version}/{@code channel} (released at {@code url}). */
    Path gatewayApi(String version, String channel, String url);

    /** One line for progress output, e.g. the repository URL. */
    String describe();

    /** The file name a Gateway API manifest has in a charts directory and in the cache. */
    static String gatewayApiFileName(String version, String channel) {
        return "gateway-api-" + version + "-" + channel + "-install.yaml";
    }
}
