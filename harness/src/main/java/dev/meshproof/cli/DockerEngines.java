package dev.meshproof.cli;

import dev.meshproof.cluster.DockerEngine;
import dev.meshproof.cluster.TestcontainersDockerEngine;

import java.util.function.Supplier;

/**
 * Where the commands get their Docker engine: the real one, unless a test swapped in a fake for the duration
 * of a try-with-resources block (to play "no Docker" or "registry unreachable" on any machine).
 */
final class DockerEngines {
    private static volatile Supplier<DockerEngine> factory = TestcontainersDockerEngine::new;

    private DockerEngines() {
    }

    static DockerEngine get() {
        return factory.get();
    }

    /** Test hook: use {@code engine} until the returned handle is closed. */
    static AutoCloseable use(DockerEngine engine) {
        Supplier<DockerEngine> previous = factory;
        factory = () -> engine;
        return () -> factory = previous;
    }
}
