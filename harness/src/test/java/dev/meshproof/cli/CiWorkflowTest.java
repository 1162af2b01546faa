package dev.meshproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** .github/workflows/ci.yml runs the README's test command on every push and pull request, and keeps the reports. */
class CiWorkflowTest {
    private static final Path ROOT = Path.of(System.getProperty("meshproof.repo.root", ".."));

    @Test
    void ciRunsTheReadmesTestCommandOnPushAndPullRequest() throws IOException {
        Matcher m = Pattern.compile("# 2\\. the tests[^\\n]*\\n(\\S[^\\n]*)").matcher(Files.readString(ROOT.resolve("README.md")));
        assertThat(m.find()).as("README names the test command").isTrue();
        String testCommand = m.group(1).trim();

        JsonNode ci = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve(".github/workflows/ci.yml").toFile());
        assertThat(ci.path("on").has("push")).isTrue();
        assertThat(ci.path("on").has("pull_request")).isTrue();
        JsonNode verify = ci.path("jobs").path("verify");
        assertThat(verify.path("steps").findValuesAsText("run")).contains(testCommand);
        assertThat(verify.path("timeout-minutes").asInt()).isBetween(1, 60);
        assertThat(verify.path("steps").findValues("if")).extracting(JsonNode::asText).contains("always()");
        assertThat(ci.path("jobs").path("workflows").path("steps").findValuesAsText("run"))
                .anySatisfy(r -> assertThat(r).contains("action-validator").contains("for f in .github/workflows/*.yml"));
    }
}
