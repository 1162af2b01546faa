package dev.meshproof.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfigs for tests: one cluster, one context "ctx1", a bearer token that must never be printed. */
public final class TestKubeconfig {
    public static final String SECRET_TOKEN = "s3cr3t-token-never-printed";

    private TestKubeconfig() {
    }

    public static String yaml(String serverUrl) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c1
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: ctx1
                  context: {cluster: c1, user: u1}
                current-context: ctx1
                users:
                - name: u1
                  user: {token: %s}
                """.formatted(serverUrl, SECRET_TOKEN);
    }

    public static Path write(Path file, String serverUrl) throws IOException {
        return Files.writeString(file, yaml(serverUrl));
    }

    /** A 127.0.0.1 port nothing listens on (bound, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
