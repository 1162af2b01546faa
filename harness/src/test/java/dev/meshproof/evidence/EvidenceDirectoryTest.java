package dev.meshproof.evidence;

import dev.meshproof.verdict.EvidenceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.meshproof.verdict.EvidenceBuilder.closed;
import static dev.meshproof.verdict.EvidenceBuilder.echo;
import static dev.meshproof.verdict.EvidenceBuilder.ok;
import static dev.meshproof.verdict.EvidenceBuilder.pod;
import static dev.meshproof.verdict.EvidenceBuilder.reset;
import static dev.meshproof.verdict.EvidenceBuilder.response;
import static dev.meshproof.verdict.EvidenceBuilder.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EvidenceDirectory}: what a check writes reads back the same; broken files are named. */
class EvidenceDirectoryTest {
    @TempDir
    Path run;

    private static Evidence sample() {
        return EvidenceBuilder.evidence().check("l4-deny-by-principal")
                .namespace("server", "mp-l4-deny-1a2b-server", true)
                .namespace("plaintext", "mp-l4-deny-1a2b-legacy", false)
                .workload("client", "default", "sleep", pod("sleep-7656cf8794-6lsm4", "10.42.0.9"))
                .workload("echo", "default", "bookinfo-details", pod("details-v1-857849f66-ft8wx", "10.42.0.5"),
                        pod("details-v1-857849f66-2nd22", "10.42.1.5"))
                .step("refused", 0, 12_000, 30_000, 10_000)
                .probe("refused", 0, ok(echo("details-v1-857849f66-ft8wx", "default", "bookinfo-details")))
                .probe("refused", Probe.HOLD, 2_000, response(reset(), closed()))
                .probe("refused", Probe.HOLD, 4_000, response(EvidenceBuilder.httpError(403, upstream("rbac-403-body.txt"))))
                .scrape("before", "istio-system/ztunnel-7xk2p", "# EOF\n")
                .scrape("after", "istio-system/ztunnel-7xk2p", upstream("ztunnel-metrics-assembled-mtls-destination.txt"))
                .scrape("after", "istio-system/ztunnel-b2c3d", upstream("ztunnel-metrics-assembled-deny-plaintext-strict.txt"))
                .log("istio-system/ztunnel-7xk2p", upstream("ztunnel-access-log-current-verify-mtls.txt"))
                .log("istio-system/ztunnel-b2c3d", upstream("ztunnel-access-log-assembled-deny-1.29.6.txt"))
                .build();
    }

    private static EvidenceDirectory write(EvidenceDirectory dir, Evidence e) {
        dir.writeFacts(e.facts());
        dir.writeManifest("apply", "authz/deny-sleep.yaml", "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n");
        e.probes().forEach(dir::appendProbe);
        e.steps().forEach(dir::appendStep);
        e.scrapes().forEach(dir::writeScrape);
        e.logs().forEach(dir::writeLog);
        return dir;
    }

    @Test
    void roundTripReadsBackWhatWasWritten() {
        Evidence written = sample();
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "l4-deny-by-principal", "ambient"), written);

        Evidence read = new EvidenceDirectory(run.resolve("checks/l4-deny-by-principal/ambient")).read();

        assertThat(read.facts()).isEqualTo(written.facts());
        assertThat(read.steps()).isEqualTo(written.steps());
        assertThat(read.scrapes()).isEqualTo(written.scrapes());
        assertThat(read.logs()).containsExactlyInAnyOrderElementsOf(written.logs());
        assertThat(read.manifests()).containsExactly("01-apply-authz_deny-sleep.yaml");
        assertThat(read.probes()).hasSameSizeAs(written.probes());
        for (int i = 0; i < written.probes().size(); i++) {
            Probe w = written.probes().get(i);
            Probe r = read.probes().get(i);
            assertThat(r.seq()).isEqualTo(w.seq());
            assertThat(r.step()).isEqualTo(w.step());
            assertThat(r.phase()).isEqualTo(w.phase());
            assertThat(r.client()).isEqualTo(w.client());
            assertThat(r.at()).isEqualTo(w.at());
            assertThat(r.request()).isEqualTo(w.request());
            // The JSON tree is equal as JSON (an int read back may be an IntNode where valueToTree made a LongNode).
            assertThat(r.response().toString()).isEqualTo(w.response().toString());
            assertThat(r.parsedResponse()).isEqualTo(w.parsedResponse());
        }
        // The logs and metrics are stored as served, byte for byte.
        assertThat(dir.path().resolve("logs/istio-system_ztunnel-7xk2p.log"))
                .hasContent(upstream("ztunnel-access-log-current-verify-mtls.txt"));
        assertThat(read.scrapes("after")).hasSize(2);
    }

    @Test
    void aMalformedCallsLineIsMalformedEvidenceNamingTheFileAndLine() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Path calls = dir.path().resolve(EvidenceDirectory.CALLS);
        List<String> lines = Files.readAllLines(calls, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        // Line 2 truncated half-way (a write cut off), line 3 intact.
        Files.write(calls, List.of(lines.get(0), lines.get(1).substring(0, lines.get(1).length() / 2), lines.get(2)), StandardCharsets.UTF_8);

        assertThatThrownBy(dir::read)
                .isInstanceOfSatisfying(MalformedEvidenceException.class, e -> assertThat(e.file()).isEqualTo("calls.jsonl"))
                .hasMessageStartingWith("calls.jsonl: ")
                .hasMessageContaining("line 2 ");
    }

    @Test
    void blankLinesCountInTheLineNumber() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Path calls = dir.path().resolve(EvidenceDirectory.CALLS);
        List<String> lines = Files.readAllLines(calls, StandardCharsets.UTF_8);
        Files.write(calls, List.of(lines.get(0), "", "{not json", lines.get(2)), StandardCharsets.UTF_8);

        assertThatThrownBy(dir::read).isInstanceOf(MalformedEvidenceException.class).hasMessageContaining("line 3 ");
    }

    @Test
    void aResponseThatIsNotTheAgentsFormatIsMalformedEvidenceNamingCallsJsonl() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Path calls = dir.path().resolve(EvidenceDirectory.CALLS);
        String text = Files.readString(calls);
        // Edit: an outcome the agent does not know.
        Files.writeString(calls, text.replaceFirst("\"outcome\":\"reset\"", "\"outcome\":\"denied\""));

        assertThatThrownBy(dir::read)
                .isInstanceOfSatisfying(MalformedEvidenceException.class, e -> assertThat(e.file()).isEqualTo("calls.jsonl"))
                .hasMessageContaining("not a call-API response");
    }

    @Test
    void aProbeWithoutItsStepIsMalformedEvidence() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Path calls = dir.path().resolve(EvidenceDirectory.CALLS);
        Files.writeString(calls, Files.readString(calls).replaceFirst("\"step\":\"refused\",", ""));

        assertThatThrownBy(dir::read).isInstanceOf(MalformedEvidenceException.class)
                .hasMessageContaining("calls.jsonl").hasMessageContaining("probe 1");
    }

    @Test
    void missingContextJsonIsNamed() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Files.delete(dir.path().resolve(EvidenceDirectory.CONTEXT));

        assertThatThrownBy(dir::read)
                .isInstanceOfSatisfying(MalformedEvidenceException.class, e -> assertThat(e.file()).isEqualTo("context.json"))
                .hasMessageContaining("context.json: missing");
    }

    @Test
    void aMissingScrapeBodyIsNamed() throws IOException {
        EvidenceDirectory dir = write(EvidenceDirectory.of(run, "c", "ambient"), sample());
        Files.delete(dir.path().resolve("metrics/after/istio-system_ztunnel-b2c3d.txt"));

        assertThatThrownBy(dir::read)
                .isInstanceOfSatisfying(MalformedEvidenceException.class,
                        e -> assertThat(e.file()).isEqualTo("metrics/after/istio-system_ztunnel-b2c3d.txt"));
    }

    @Test
    void aMissingDirectoryIsMalformedEvidence() {
        assertThatThrownBy(() -> new EvidenceDirectory(run.resolve("nothing-here")).read())
                .isInstanceOf(MalformedEvidenceException.class)
                .hasMessageContaining("no such evidence directory");
    }

    @Test
    void onlyContextIsRequired() {
        EvidenceDirectory dir = EvidenceDirectory.of(run, "c", "sidecar");
        dir.writeFacts(sample().facts());

        Evidence read = dir.read();

        assertThat(read.facts().workload("echo").pods()).hasSize(2);
        assertThat(read.probes()).isEmpty();
        assertThat(read.steps()).isEmpty();
        assertThat(read.scrapes()).isEmpty();
        assertThat(read.logs()).isEmpty();
        assertThat(read.manifests()).isEmpty();
    }
}
