package dev.meshproof.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the CNI binary directory containerd really uses from k3s's generated
 * {@code /var/lib/rancher/k3s/agent/etc/containerd/config.toml}. k3s Docker images moved it from {@code /bin}
 * to {@code /var/lib/rancher/k3s/data/cni} in v1.32.3/v1.31.7/v1.30.11/v1.29.15 (k3s PR #11790), and istio-cni
 * must install its plugin exactly there, or pods fail with {@code failed to find plugin "istio-cni"} (k3s-io/k3s#11369).
 * <p>
 * The section header differs between containerd config v2 ({@code "io.containerd.grpc.v1.cri".cni}) and v3
 * ({@code 'io.containerd.cri.v1.runtime'.cni}), so only the {@code bin_dir = "..."} line is parsed. containerd 2.1
 * deprecates {@code bin_dir} for the list {@code bin_dirs = ["..."]} (its generated default config says so), so the
 * first entry of {@code bin_dirs} is accepted too; an empty {@code bin_dir = ''} placeholder is ignored.
 */
public final class ContainerdConfig {
    public static final String PATH = "/var/lib/rancher/k3s/agent/etc/containerd/config.toml";
    private static final Pattern BIN_DIR = Pattern.compile("(?m)^\\s*bin_dir\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern BIN_DIRS = Pattern.compile("(?m)^\\s*bin_dirs\\s*=\\s*\\[\\s*[\"']([^\"']+)[\"']");

    private ContainerdConfig() {
    }

    /** The CNI bin dir: the first non-empty {@code bin_dir = "..."}, else the first entry of {@code bin_dirs}. */
    public static Optional<String> cniBinDir(String toml) {
        for (Pattern p : new Pattern[]{BIN_DIR, BIN_DIRS}) {
            Matcher m = p.matcher(toml);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
