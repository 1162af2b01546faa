package dev.meshproof.cluster;

import java.nio.file.Path;

/** The two things done inside a running node container: copy a file in, run a command. Tests play it. */
public interface ContainerShell {

    /** Runs a command (no shell unless asked for) and returns its exit code and output. */
    Result exec(String... command);

    /** Copies a host file to {@code containerPath}. */
    void copyIn(Path hostFile, String containerPath);

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
