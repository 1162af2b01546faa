package dev.meshproof.cluster;

/** This machine's real Docker situation, probed once per test JVM (tests that use the real engine branch on it). */
public final class ThisMachinesDocker {
    private static DockerEngine.Status status;

    private ThisMachinesDocker() {
    }

    public static synchronized DockerEngine.Status status() {
        if (status == null) {
            status = new TestcontainersDockerEngine().probe();
        }
        return status;
    }
}
