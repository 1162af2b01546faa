package dev.meshproof.cli;

import dev.meshproof.bench.LoadProfile;
import dev.meshproof.bench.ModeRunner;
import dev.meshproof.core.MeshproofException;

/** Builds the cluster-mode runner for {@code bench} without --target. */
final class ClusterBench {
    private ClusterBench() {
    }

    static ModeRunner runner(LoadProfile profile) {
        throw MeshproofException.environment("cluster mode is not available in this build",
                "run locally with --target http://HOST:PORT/", null);
    }
}
