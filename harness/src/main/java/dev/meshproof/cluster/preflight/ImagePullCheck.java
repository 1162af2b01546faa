package dev.meshproof.cluster.preflight;

import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.ImageAvailability;

import java.time.Duration;

/** The k3s image is in the engine or can be pulled within the bound (the pull is kept: the run needs it anyway). */
public final class ImagePullCheck implements Check {
    private final DockerEngine docker;
    private final String image;
    private final Duration timeout;

    public ImagePullCheck(DockerEngine docker, String image, Duration timeout) {
        this.docker = docker;
        this.image = image;
        this.timeout = timeout;
    }

    @Override
    public String description() {
        return "image " + image + " available";
    }

    @Override
    public CheckResult run() {
        ImageAvailability.Result r = new ImageAvailability(docker, timeout).check(image);
        return r.available() ? CheckResult.ok(r.detail()) : CheckResult.fail(r.detail(), ImageAvailability.WHAT_TO_DO);
    }
}
