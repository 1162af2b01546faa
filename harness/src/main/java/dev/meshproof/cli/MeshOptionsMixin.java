package dev.meshproof.cli;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Versions;
import dev.meshproof.mesh.MeshInstallers;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.mesh.MeshValues;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The mesh flags {@code install}, {@code run} and {@code bench} share (the mesh mode is each command's own:
 * {@code --mode} for install and run, the profile's modes for bench). {@link #toOptions()} validates them (exit 2 naming the flag
 * or file) before anything is started, so a typo never costs a k3s start.
 */
public class MeshOptionsMixin {

    @Option(names = "--istio-version", description = "Istio version to install (default: the pinned version in versions.yaml).")
    String istioVersion;

    @Option(names = "--values", paramLabel = "FILE", description = "Chart values, one section per chart: global, base, istiod, cni, ztunnel.")
    Path valuesFile;

    @Option(names = "--charts-dir", paramLabel = "DIR", description = "Use charts (<name>-<version>.tgz) and the Gateway API manifest from DIR; nothing is fetched.")
    Path chartsDir;

    @Option(names = "--chart-repository", paramLabel = "URL", description = "Helm chart repository (default: the pinned Istio repository).")
    String chartRepository;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Bound on each wait of the install (default: ${DEFAULT-VALUE}; --timeout bounds a whole run or bench).")
    long timeoutSeconds;

    /** Parses a --mode value: ambient, sidecar or hybrid (exit 2 otherwise). */
    public static MeshMode parseMode(String mode) {
        for (MeshMode m : MeshMode.values()) {
            if (m.flag().equals(mode)) {
                return m;
            }
        }
        throw MeshproofException.usage("unknown --mode '" + mode + "'", "use ambient, sidecar or hybrid");
    }

    public Versions versions() {
        Versions v = Versions.defaults();
        if (istioVersion != null) {
            v = v.withIstioVersion(istioVersion);
        }
        if (chartRepository != null) {
            v = new Versions(new Versions.Istio(v.istio().version(), v.istio().hub(), chartRepository), v.gatewayApi(), v.k3s());
        }
        return v;
    }

    public MeshValues values() {
        return valuesFile == null ? MeshValues.none() : MeshValues.load(valuesFile);
    }

    public Duration timeout() {
        if (timeoutSeconds < 1) {
            throw MeshproofException.usage("--wait-timeout must be at least 1 second, not " + timeoutSeconds, "pass e.g. --wait-timeout 300");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    public MeshInstallers.Options toOptions(MeshMode mode) {
        return new MeshInstallers.Options(mode, versions(), values(), chartsDir, timeout());
    }
}
