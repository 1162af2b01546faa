package dev.meshproof.certify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What refuses a bundle, and what must not: Istio's own manifests and pod specs name tokens without holding one
 * (the projected {@code istio-token} volume, {@code serviceAccountToken}, {@code automountServiceAccountToken}).
 */
class CredentialScanTest {
    @TempDir
    Path dir;

    private String scan(String content) throws IOException {
        Path f = Files.writeString(dir.resolve("f.txt"), content);
        return CredentialScan.scan(f).map(CredentialScan.Finding::what).orElse(null);
    }

    @Test
    void credentialsAreFound() throws IOException {
        assertThat(scan("users:\n- name: a\n  user:\n    token: eyJhbGciOiJSUzI1NiIsImtpZCI6\n")).contains("token");
        assertThat(scan("{\"token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6\"}")).contains("token");
        assertThat(scan("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=\n")).contains("client-key-data");
        assertThat(scan("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n")).contains("private key");
        assertThat(scan("apiVersion: v1\nkind: Secret\nmetadata:\n  name: cacerts\ndata:\n  ca-key.pem: LS0t\n")).contains("Secret");
        assertThat(scan("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"password\":\"cGFzcw==\"}}")).contains("Secret");
    }

    @Test
    void whatIstioWritesWithoutACredentialIsNot() throws IOException {
        assertThat(scan("""
                automountServiceAccountToken: false
                volumes:
                - name: istio-token
                  projected:
                    sources:
                    - serviceAccountToken:
                        audience: istio-ca
                        expirationSeconds: 43200
                        path: istio-token
                - mountPath: /var/run/secrets/tokens
                  name: istio-token
                """)).isNull();
        assertThat(scan("apiVersion: v1\nkind: Secret\nmetadata:\n  name: istio-ca-secret\ntype: istio.io/ca-root\n")).as("a Secret without data").isNull();
        assertThat(scan("{\"outcome\":\"ok\",\"status\":200,\"echo\":{\"path\":\"/echo\"}}")).isNull();
    }
}
