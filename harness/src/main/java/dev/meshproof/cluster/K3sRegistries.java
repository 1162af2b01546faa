package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;

import java.net.URI;
import java.util.List;

/**
 * k3s's {@code /etc/rancher/k3s/registries.yaml} for {@code --registry-mirror HOST}: k3s reads it at start and
 * generates containerd's mirror configuration from it (docs.k3s.io/installation/private-registry). Every image a run
 * pulls in the node comes from Docker Hub — k3s's own system images ({@code docker.io/rancher/mirrored-*}) and Istio's
 * ({@code docker.io/istio/*}) — so Docker Hub is the registry mirrored. containerd still falls back to Docker Hub
 * when the mirror fails (k3s's "default endpoint fallback").
 */
public final class K3sRegistries {
    /** Where k3s looks for it. */
    public static final String PATH = "/etc/rancher/k3s/registries.yaml";
    /** The registries a run's images come from. */
    static final List<String> MIRRORED = List.of("docker.io");

    private K3sRegistries() {
    }

    /**
     * @param mirror {@code host[:port]} (HTTPS) or a full {@code http://} / {@code https://} URL
     * @throws MeshproofException exit 2 for anything that is not a host or an http(s) URL
     */
    public static String mirroring(String mirror) {
        String endpoint = endpoint(mirror);
        StringBuilder yaml = new StringBuilder("# written by Meshproof for --registry-mirror\nmirrors:\n");
        for (String registry : MIRRORED) {
            yaml.append("  ").append(registry).append(":\n    endpoint:\n      - \"").append(endpoint).append("\"\n");
        }
        return yaml.toString();
    }

    /** The mirror as an endpoint URL; exit 2 for anything that is not a host or an http(s) URL. */
    public static String endpoint(String mirror) {
        String url = mirror.contains("://") ? mirror : "https://" + mirror;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !List.of("http", "https").contains(uri.getScheme())
                || url.chars().anyMatch(c -> c == '"' || Character.isWhitespace(c))) {
            throw MeshproofException.usage("--registry-mirror '" + mirror + "' is not a registry host or http(s) URL",
                    "pass e.g. --registry-mirror mirror.example.com:5000 or --registry-mirror http://10.0.0.5:5000");
        }
        return url;
    }
}
