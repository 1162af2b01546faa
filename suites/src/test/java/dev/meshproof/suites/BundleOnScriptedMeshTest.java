package dev.meshproof.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.cli.CliRunner;
import dev.meshproof.mesh.MeshMode;
import dev.meshproof.suites.ScriptedMesh.Fault;
import dev.meshproof.verdict.CheckResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * run → bundle → validate on real run directories (every ambient check on the scripted mesh, and one failing run),
 * then each tampering a reviewer must catch: a changed evidence byte, a FAIL flipped to PASS, a core check removed,
 * an Istio version in the report that the run did not record, an implementation other than the one declared; and a
 * credential that must never leave in a bundle.
 */
@EnableKubernetesMockClient(crud = true)
class BundleOnScriptedMeshTest {
    static KubernetesClient client;

    /** Every ambient check, well-behaved mesh: all core ambient checks PASS. */
    static Path passing;
    /** l4-allow-nothing under a policy that flaps: FAIL. */
    static Path failing;

    @TempDir
    static Path runs;

    @TempDir
    Path tmp;

    @BeforeAll
    static void runTheChecks() {
        passing = runs.resolve("passing");
        ScriptedRun.summarize(passing, MeshMode.AMBIENT, ScriptedRun.run(client, passing, MeshMode.AMBIENT, List.of()));
        failing = runs.resolve("failing");
        List<CheckResult> r = ScriptedRun.run(client, failing, MeshMode.AMBIENT, List.of("l4-allow-nothing"), Fault.FLAPS);
        assertThat(r).singleElement().satisfies(c -> assertThat(c.verdict().status().name()).isEqualTo("FAIL"));
        ScriptedRun.summarize(failing, MeshMode.AMBIENT, r);
    }

    @Test
    void anUntouchedRunBundlesAndValidatesWithoutItsKubeconfig() throws IOException {
        Path run = copy(passing);
        Files.writeString(run.resolve("kubeconfig.yaml"), "users:\n- name: admin\n  user:\n    token: abcdefghijklmnop\n    client-key-data: LS0t\n");

        Path bundle = bundle(run);
        Map<String, byte[]> entries = read(bundle);
        assertThat(entries).containsKeys("manifest.json", "fingerprint.json", "run/summary.json", "run/junit.xml", "run/conformance-report.yaml",
                "run/report.html", "run/checks/l4-deny-by-port/ambient/calls.jsonl").doesNotContainKey("run/kubeconfig.yaml");
        assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8)).contains("\"sha256\"").contains("run/checks/l4-deny-by-port/ambient/verdict.json");
        assertThat(new String(entries.get("fingerprint.json"), StandardCharsets.UTF_8)).contains("\"istioVersion\" : \"1.29.6\"").contains("\"nodes\"");

        CliRunner validate = CliRunner.run("validate", bundle.toString());
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
        long ambientChecks = dev.meshproof.conformance.CheckCatalog.load().all().stream()
                .filter(e -> e.dataPlanes().contains(dev.meshproof.conformance.DataPlane.AMBIENT)).count();
        assertThat(validate.out()).startsWith("valid: ").contains(ambientChecks + " verdicts re-derived");
    }

    @Test
    void aChangedEvidenceByteIsNamed() throws IOException {
        Path bundle = bundle(copy(passing));
        String calls = "run/checks/l4-deny-by-port/ambient/calls.jsonl";
        rewrite(bundle, calls, b -> {
            byte[] c = b.clone();
            c[c.length / 2] ^= 1;
            return c;
        });

        CliRunner validate = CliRunner.run("validate", bundle.toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("integrity: " + calls + " changed after bundling").contains("invalid: ");
    }

    @Test
    void aFailFlippedToPassIsCaughtByReDerivation() throws IOException {
        Path run = copy(failing);
        replace(run.resolve("checks/l4-allow-nothing/ambient/verdict.json"), "\"status\" : \"FAIL\"", "\"status\" : \"PASS\"");
        replace(run.resolve("summary.json"), "\"status\" : \"FAIL\"", "\"status\" : \"PASS\"");
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero(); // every report now claims PASS

        CliRunner validate = CliRunner.run("validate", bundle(run).toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("re-derivation: l4-allow-nothing[ambient]: verdict.json claims PASS, the evidence gives FAIL")
                .contains("re-derivation: conformance-report.yaml MESHPROOF-SECURITY core claims success")
                .doesNotContain("integrity:");
    }

    @Test
    void aRemovedCoreCheckIsIncomplete() throws IOException {
        Path run = copy(passing);
        deleteTree(run.resolve("checks/l4-deny-by-port"));
        String summary = Files.readString(run.resolve("summary.json"));
        Files.writeString(run.resolve("summary.json"), summary.replaceAll("(?s)\\{\\s*\"check\" : \"l4-deny-by-port\".*?\"seconds\" : [0-9.E-]+\\s*},?", ""));
        assertThat(Files.readString(run.resolve("summary.json"))).doesNotContain("l4-deny-by-port");
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();

        CliRunner validate = CliRunner.run("validate", bundle(run).toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("completeness: core check l4-deny-by-port [ambient] is not in the bundle");
    }

    @Test
    void anIstioVersionTheRunDidNotRecordIsInconsistent() throws IOException {
        Path run = copy(passing);
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        replace(run.resolve("conformance-report.yaml"), "  version: 1.29.6", "  version: 1.29.7");

        CliRunner validate = CliRunner.run("validate", bundle(run).toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("consistency: conformance-report.yaml names Istio 1.29.7, summary.json recorded 1.29.6")
                .contains("consistency: conformance-report.yaml names Istio 1.29.7, checks/l4-deny-by-port/ambient/context.json recorded 1.29.6");
    }

    @Test
    void aVendorsImplementationValidatesAndAReportThatNamesAnotherIsInconsistent() throws IOException {
        Path run = copy(passing, "vendor");
        CliRunner report = CliRunner.run("report", run.toString(), "--implementation", "acme/acme-mesh,2.3.1,https://acme.example/mesh,@acme/mesh-team");
        assertThat(report.exitCode()).as(report.err()).isZero();
        CliRunner valid = CliRunner.run("validate", bundle(run).toString());
        assertThat(valid.exitCode()).as("a vendor's own version is not Istio's: " + valid.out()).isZero();

        replace(run.resolve("conformance-report.yaml"), "  version: 2.3.1", "  version: 2.4.0");
        CliRunner changed = CliRunner.run("validate", bundle(run).toString());
        assertThat(changed.exitCode()).isEqualTo(1);
        assertThat(changed.out()).contains("consistency: conformance-report.yaml names the implementation acme/acme-mesh 2.4.0 (https://acme.example/mesh, "
                + "contact [@acme/mesh-team]), implementation.json declared acme/acme-mesh 2.3.1");

        // declaring Istio's own project does not let a report name an Istio the run did not install
        assertThat(CliRunner.run("report", run.toString(), "--implementation", "istio/istio,1.29.7,https://istio.io/,@istio/maintainers").exitCode()).isZero();
        CliRunner istio = CliRunner.run("validate", bundle(run).toString());
        assertThat(istio.exitCode()).isEqualTo(1);
        assertThat(istio.out()).contains("consistency: conformance-report.yaml names Istio 1.29.7, summary.json recorded 1.29.6");
    }

    @Test
    void aPlantedCredentialIsRefusedAtBundleTimeNamingTheFile() throws IOException {
        for (String secret : List.of("client-key-data: LS0tLS1CRUdJTg==", "-----BEGIN PRIVATE KEY-----\nMIIE\n", "  token: eyJhbGciOiJSUzI1NiIs",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: cGFzcw==\n")) {
            Path run = copy(passing, "planted-" + secret.hashCode());
            Path log = run.resolve("checks/l4-deny-by-port/ambient/diagnostics/pods.txt");
            Files.createDirectories(log.getParent());
            Files.writeString(log, "some output\n" + secret + "\n");
            Path out = tmp.resolve("refused.tar.gz");

            CliRunner bundle = CliRunner.run("bundle", run.toString(), "--out", out.toString());
            assertThat(bundle.exitCode()).as(secret).isEqualTo(2);
            assertThat(bundle.err()).contains("refusing to bundle: " + log);
            assertThat(out).doesNotExist();
        }
        // a credential in a proxy log that Allure's results attach is named in the evidence, not in its copy
        Path run = copy(passing, "planted-in-a-log");
        Path log = run.resolve("checks/l4-deny-by-port/ambient/logs/istio-system_ztunnel-planted.log");
        Files.writeString(log, "2026-01-02T03:04:05Z\tinfo\taccess\t{\"token\":\"eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ\"}\n");
        assertThat(CliRunner.run("report", run.toString()).exitCode()).isZero();
        assertThat(Files.readString(run.resolve("allure-results").resolve(attachment(run, "l4-deny-by-port[ambient]", "logs/istio-system_ztunnel-planted.log"))))
                .contains("eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ");
        CliRunner bundle = CliRunner.run("bundle", run.toString(), "--out", tmp.resolve("refused.tar.gz").toString());
        assertThat(bundle.exitCode()).isEqualTo(2);
        assertThat(bundle.err()).contains("refusing to bundle: " + log + " holds a bearer token");
    }

    /** The source file of the attachment {@code name} of the Allure result {@code result}. */
    private static String attachment(Path run, String result, String name) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("allure-results"))) {
            for (Path f : files.filter(f -> f.toString().endsWith("-result.json")).toList()) {
                JsonNode r = new ObjectMapper().readTree(f.toFile());
                if (r.path("name").asText().equals(result)) {
                    for (JsonNode a : r.path("attachments")) {
                        if (a.path("name").asText().equals(name)) {
                            return a.path("source").asText();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no attachment " + name + " of " + result);
    }

    @Test
    void somethingThatIsNotABundleIsUnreadable() throws IOException {
        Path notABundle = Files.writeString(tmp.resolve("x.tar.gz"), "hello");
        CliRunner validate = CliRunner.run("validate", notABundle.toString());
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("cannot read bundle");
    }

    // ---- helpers ----

    private Path bundle(Path run) {
        Path out = tmp.resolve(run.getFileName() + ".tar.gz");
        CliRunner bundle = CliRunner.run("bundle", run.toString(), "--out", out.toString());
        assertThat(bundle.exitCode()).as(bundle.err()).isZero();
        return out;
    }

    private Path copy(Path run) throws IOException {
        return copy(run, run.getFileName().toString());
    }

    private Path copy(Path run, String name) throws IOException {
        return ScriptedRun.copy(run, tmp.resolve(name));
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).as(file.toString()).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, byte[]> read(Path bundle) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(bundle); TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }

    /** The bundle again with one entry's bytes changed and everything else (the manifest too) as it was. */
    private static void rewrite(Path bundle, String name, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> entries = read(bundle);
        assertThat(entries).containsKey(name);
        List<String> names = new ArrayList<>(entries.keySet());
        try (OutputStream o = Files.newOutputStream(bundle); TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(o))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String n : names) {
                byte[] content = n.equals(name) ? change.apply(entries.get(n)) : entries.get(n);
                TarArchiveEntry e = new TarArchiveEntry(n);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }
}
