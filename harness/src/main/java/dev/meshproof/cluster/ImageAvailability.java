package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import dev.meshproof.core.Progress;

import java.time.Duration;

/**
 * Makes sure an image is in the local Docker engine before a container needs it: look locally first
 * (no network), then pull with a bounded timeout. A machine without registry access fails here, in
 * at most the timeout, with one line naming the image and what to do, instead of hanging inside
 * Testcontainers' own pull (which retries for minutes).
 */
public final class ImageAvailability {
    /** Default bound for a pull; override with --pull-timeout. */
    public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofSeconds(60);
    /** What to do when the image cannot be pulled (docs/clusters.md, 'Troubleshooting exit 3', has the recipe). */
    public static final String WHAT_TO_DO = "preload it with `docker load`, configure a registry mirror, or use --cluster kubeconfig";

    private final DockerEngine docker;
    private final Duration pullTimeout;

    public ImageAvailability(DockerEngine docker, Duration pullTimeout) {
        this.docker = docker;
        this.pullTimeout = pullTimeout;
    }

    /** @param detail "present locally", "pulled in 12.3s", or "cannot pull IMAGE (reason)" */
    public record Result(boolean available, String detail) {
    }

    public Result check(String image) {
        if (docker.hasImage(image)) {
            return new Result(true, "present locally");
        }
        Progress.step("pulling " + image + " (up to " + pullTimeout.toSeconds() + "s)");
        long start = System.nanoTime();
        try {
            docker.pull(image, pullTimeout);
        } catch (DockerEngine.PullFailed e) {
            return new Result(false, "cannot pull " + image + " (" + e.getMessage() + ")");
        }
        return new Result(true, String.format("pulled in %.1fs", (System.nanoTime() - start) / 1e9));
    }

    /** {@link #check} or exit 3 with one line: what is missing, why, and what to do. */
    public String ensure(String image) {
        Result r = check(image);
        if (!r.available()) {
            throw MeshproofException.environment(r.detail() + ": " + WHAT_TO_DO, null, null);
        }
        return r.detail();
    }
}
