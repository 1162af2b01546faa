package dev.meshproof.cluster.preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * inotify limits of the host kernel: istio-cni and ztunnel watch files, and low limits give
 * "too many open files". Recommended values are kind's: max_user_watches=524288,
 * max_user_instances=512.
 */
public final class InotifyLimitsCheck implements Check {
    static final long MIN_INSTANCES = 512;
    static final long MIN_WATCHES = 524_288;

    private final Path dir;

    public InotifyLimitsCheck(Path dir) {
        this.dir = dir;
    }

    public static InotifyLimitsCheck forThisHost() {
        return new InotifyLimitsCheck(Path.of("/proc/sys/fs/inotify"));
    }

    @Override
    public String description() {
        return "inotify limits";
    }

    @Override
    public CheckResult run() {
        long instances;
        long watches;
        try {
            instances = read("max_user_instances");
            watches = read("max_user_watches");
        } catch (IOException | NumberFormatException e) {
            return CheckResult.warn("cannot read " + dir + ": " + e.getMessage(), "check fs.inotify.max_user_instances and max_user_watches on the Docker host");
        }
        String values = "max_user_instances=" + instances + ", max_user_watches=" + watches;
        List<String> low = new ArrayList<>();
        if (instances < MIN_INSTANCES) {
            low.add("fs.inotify.max_user_instances=" + MIN_INSTANCES);
        }
        if (watches < MIN_WATCHES) {
            low.add("fs.inotify.max_user_watches=" + MIN_WATCHES);
        }
        return low.isEmpty() ? CheckResult.ok(values)
                : CheckResult.warn(values + " (low: istio-cni and ztunnel may fail with 'too many open files')",
                "sudo sysctl -w " + String.join(" ", low));
    }

    private long read(String name) throws IOException {
        // Not Files.readString: procfs reports size 0 and JDK 17 then returned only the first byte here.
        try (var reader = Files.newBufferedReader(dir.resolve(name))) {
            String line = reader.readLine();
            return Long.parseLong(line == null ? "" : line.strip());
        }
    }
}
