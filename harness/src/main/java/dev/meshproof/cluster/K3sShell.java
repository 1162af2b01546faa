package dev.meshproof.cluster;

import dev.meshproof.core.MeshproofException;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Path;

/** {@link ContainerShell} over a running Testcontainers container (the k3s node). */
final class K3sShell implements ContainerShell {
    private final GenericContainer<?> container;

    K3sShell(GenericContainer<?> container) {
        this.container = container;
    }

    @Override
    public Result exec(String... command) {
        try {
            Container.ExecResult r = container.execInContainer(command);
            return new Result(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException e) {
            throw MeshproofException.environment("cannot run " + String.join(" ", command) + " in the k3s container: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshproofException.environment("interrupted while running " + command[0] + " in the k3s container", null, e);
        }
    }

    @Override
    public void copyIn(Path hostFile, String containerPath) {
        container.copyFileToContainer(MountableFile.forHostPath(hostFile), containerPath);
    }
}
