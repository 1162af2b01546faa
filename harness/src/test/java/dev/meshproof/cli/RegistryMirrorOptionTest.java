package dev.meshproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --registry-mirror is for a k3s Meshproof starts; elsewhere it is exit 2, never silently dropped. */
class RegistryMirrorOptionTest {
    @TempDir
    Path tmp;

    @Test
    void withYourOwnClusterItIsUsageError() throws IOException {
        Path kubeconfig = Files.writeString(tmp.resolve("kc"), "apiVersion: v1\nkind: Config\n");
        CliRunner r = CliRunner.run("run", "--cluster", "kubeconfig", "--kubeconfig", kubeconfig.toString(), "--registry-mirror", "m.example",
                "--out", tmp.resolve("run").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--registry-mirror needs --cluster k3s");
    }

    @Test
    void installUsesARunningK3sSoTheMirrorBelongsToClusterUp() {
        CliRunner r = CliRunner.run("install", "--registry-mirror", "m.example");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--registry-mirror applies when k3s starts").contains("cluster up");
    }

    @Test
    void aMalformedMirrorIsUsageErrorBeforeAnythingStarts() {
        CliRunner r = CliRunner.run("run", "--registry-mirror", "ftp://m.example", "--out", tmp.resolve("run").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--registry-mirror 'ftp://m.example' is not a registry host or http(s) URL");
    }
}
