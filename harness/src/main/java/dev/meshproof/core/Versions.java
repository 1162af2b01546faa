package dev.meshproof.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pinned default versions (resource {@code meshproof/versions.yaml}), optionally replaced by the file
 * named in {@code MESHPROOF_VERSIONS}. Flags such as --istio-version override single fields per run.
 */
public record Versions(Istio istio, GatewayApi gatewayApi, K3s k3s) {

    public record Istio(String version, String hub, String chartRepository) {
        public Istio withVersion(String v) {
            return new Istio(v, hub, chartRepository);
        }
    }

    public record GatewayApi(String version, String channel, String url) {
        /** The install manifest URL for this version and channel. */
        public String manifestUrl() {
            return url.replace("{version}", version).replace("{channel}", channel);
        }
    }

    public record K3s(String image) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The defaults: MESHPROOF_VERSIONS if set, else the file shipped in the jar. */
    public static Versions defaults() {
        String override = System.getenv("MESHPROOF_VERSIONS");
        if (override != null && !override.isBlank()) {
            return load(Path.of(override));
        }
        try (InputStream in = Versions.class.getResourceAsStream("/meshproof/versions.yaml")) {
            return validate(YAML.readValue(in, Versions.class), "meshproof/versions.yaml (built in)");
        } catch (IOException e) {
            throw new IllegalStateException("built-in versions file unreadable", e);
        }
    }

    /** Loads a versions file, failing with exit 2 naming the file and the problem. */
    public static Versions load(Path file) {
        try {
            return validate(YAML.readValue(file.toFile(), Versions.class), file.toString());
        } catch (IOException e) {
            throw MeshproofException.usage("versions file " + file + " is not valid: " + firstLine(e.getMessage()),
                    "compare it with harness/src/main/resources/meshproof/versions.yaml");
        }
    }

    private static Versions validate(Versions v, String source) {
        require(v.istio() != null && v.istio().version() != null, source, "istio.version");
        require(v.istio().hub() != null, source, "istio.hub");
        require(v.istio().chartRepository() != null, source, "istio.chartRepository");
        require(v.gatewayApi() != null && v.gatewayApi().version() != null, source, "gatewayApi.version");
        require(v.gatewayApi().channel() != null && v.gatewayApi().url() != null, source, "gatewayApi.channel/url");
        require(v.k3s() != null && v.k3s().image() != null, source, "k3s.image");
        return v;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private static void require(boolean ok, String source, String field) {
        if (!ok) {
            throw MeshproofException.usage("versions file " + source + ": field " + field + " is missing",
                    "compare it with harness/src/main/resources/meshproof/versions.yaml");
        }
    }

    /** A copy with another Istio version (the --istio-version flag). */
    public Versions withIstioVersion(String version) {
        return new Versions(istio.withVersion(version), gatewayApi, k3s);
    }

    /** A copy with another k3s image (the --k3s-image flag). */
    public Versions withK3sImage(String image) {
        return new Versions(istio, gatewayApi, new K3s(image));
    }
}
