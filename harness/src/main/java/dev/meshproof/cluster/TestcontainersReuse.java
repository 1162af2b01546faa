package dev.meshproof.cluster;

import dev.meshproof.core.Progress;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Testcontainers only honours {@code withReuse(true)} when {@code testcontainers.reuse.enable=true} is set in the
 * environment ({@code TESTCONTAINERS_REUSE_ENABLE}, exported by the ./meshproof launcher) or in
 * {@code ~/.testcontainers.properties}. A container that is not reusable is registered with Testcontainers' reaper,
 * which removes it when the JVM exits (with Ryuk disabled: a JVM shutdown hook) — so a cluster that must outlive
 * the process ({@code cluster up}, {@code --keep}) needs reuse on.
 */
final class TestcontainersReuse {
    private TestcontainersReuse() {
    }

    static void ensureEnabled() {
        TestcontainersConfiguration config = TestcontainersConfiguration.getInstance();
        if (!config.environmentSupportsReuse()) {
            // Testcontainers' documented switch; it persists in the user's properties file, so say so.
            config.updateUserConfig("testcontainers.reuse.enable", "true");
            Progress.info("enabled Testcontainers container reuse (testcontainers.reuse.enable=true in ~/.testcontainers.properties)"
                    + " so the k3s container outlives this process");
        }
    }
}
