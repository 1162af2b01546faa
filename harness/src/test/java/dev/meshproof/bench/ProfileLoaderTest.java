package dev.meshproof.bench;

import dev.meshproof.cli.CliRunner;
import dev.meshproof.core.ExitCode;
import dev.meshproof.core.MeshproofException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileLoaderTest {

    @TempDir
    Path dir;

    @Test
    void bundledProfilesLoadWithTheirSettings() {
        LoadProfile smoke = ProfileLoader.load("smoke");
        assertThat(smoke.rate()).isEqualTo(200);
        assertThat(smoke.modes()).containsExactly(DataPath.NO_MESH);

        LoadProfile docs = ProfileLoader.load("istio-docs");
        assertThat(docs.rate()).isEqualTo(1000);
        assertThat(docs.payloadBytes()).isEqualTo(1024);
        assertThat(docs.connections()).isEqualTo(4);
        assertThat(docs.modes()).containsExactly(DataPath.NO_MESH, DataPath.AMBIENT_L4, DataPath.AMBIENT_L7, DataPath.SIDECAR);

        LoadProfile seed = ProfileLoader.load("seed-latency");
        assertThat(seed.modes()).containsExactly(DataPath.NO_MESH, DataPath.SIDECAR, DataPath.AMBIENT_L4, DataPath.AMBIENT_L7);
        assertThat(seed.repetitions()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyBundledProfileInTheRepositoryFolderIsValid() throws Exception {
        Path folder = Path.of(System.getProperty("meshproof.repo.root", "..")).resolve("load-profiles");
        try (var files = Files.list(folder)) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(3);
            yamls.forEach(ProfileLoader::loadFile);
        }
    }

    @Test
    void defaultsFillOptionalFields() {
        LoadProfile p = ProfileLoader.parse("rate: 50\nduration: 1500ms\n", "inline.yaml", "inline");
        assertThat(p.name()).isEqualTo("inline");
        assertThat(p.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.keepAlive()).isTrue();
        assertThat(p.modes()).containsExactly(DataPath.NO_MESH);
        assertThat(p.placement()).isEqualTo(LoadProfile.Placement.ANY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "duration: 10s                                   | rate         | is required",
            "rate: fast;duration: 10s                       | rate         | must be a number, got \"fast\"",
            "rate: -5;duration: 10s                         | rate         | must be a number of requests per second",
            "rate: 10;duration: ten seconds                 | duration     | must be a duration like 500ms, 10s, 2m or 1h",
            "rate: 10;duration: 10s;connections: 0        | connections  | must be a whole number in [1, 10000], got 0",
            "rate: 10;duration: 10s;modes: [sidecar, l7]  | modes        | unknown mode 'l7'",
            "rate: 10;duration: 10s;modes: [sidecar, sidecar] | modes    | listed twice",
            "rate: 10;duration: 10s;connection: pooled    | connection   | must be 'keep-alive' or 'new-per-request'",
            "rate: 10;duration: 10s;placement: rack       | placement    | must be one of any, same-node, cross-node",
            "rate: 10;duration: 10s;rps: 10               | rps          | unknown field",
            "rate: 10;duration: 10s;path: health          | path         | must start with '/'",
    })
    void brokenProfilesNameFileFieldAndProblem(String yaml, String field, String problem) {
        String text = yaml.replace(";", "\n"); // one profile line per ";"
        assertThatThrownBy(() -> ProfileLoader.parse(text, "load-profiles/broken.yaml", "broken"))
                .isInstanceOfSatisfying(MeshproofException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith("load-profiles/broken.yaml: field '" + field + "': ")
                .hasMessageContaining(problem);
    }

    @Test
    void malformedYamlNamesTheFile() {
        assertThatThrownBy(() -> ProfileLoader.parse("rate: [1,\n", "x.yaml", "x"))
                .hasMessageStartingWith("x.yaml: not valid YAML");
    }

    @Test
    void brokenProfileExitsTwoFromTheCliNamingFileAndField() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "rate: 100\nduration: 10s\nconnections: many\n");
        CliRunner r = CliRunner.run("bench", "--profile", broken.toString(), "--target", "http://127.0.0.1:9/");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: " + broken + ": field 'connections': must be a whole number")
                .contains("hint: see the profile schema in docs/benchmarks.md");
    }

    @Test
    void unknownProfileAndBadFlagsExitTwo() {
        CliRunner missing = CliRunner.run("bench", "--profile", "no-such-profile", "--target", "http://127.0.0.1:9/");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("load profile 'no-such-profile' not found").contains("smoke, seed-latency, istio-docs");

        CliRunner duration = CliRunner.run("bench", "--target", "http://127.0.0.1:9/", "--duration", "soon");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("error: --duration: must be a duration like 500ms, 10s, 2m or 1h, got 'soon'");

        CliRunner target = CliRunner.run("bench", "--target", "ftp://127.0.0.1/");
        assertThat(target.exitCode()).isEqualTo(2);
        assertThat(target.err()).contains("error: --target: must be an http:// URL");

        CliRunner rate = CliRunner.run("bench", "--target", "http://127.0.0.1:9/", "--rate", "0");
        assertThat(rate.exitCode()).isEqualTo(2);
        assertThat(rate.err()).contains("error: --rate: must be > 0");
    }
}
