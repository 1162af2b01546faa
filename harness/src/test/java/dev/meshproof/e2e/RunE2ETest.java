package dev.meshproof.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshproof.cli.Main;
import dev.meshproof.cluster.Cluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job as a vendor runs it: {@code meshproof run --cluster kubeconfig} on the live cluster installs Istio
 * ambient, reports passed, and leaves the cluster as it found it (the mesh is uninstalled at the end).
 */
@Tag("e2e")
@ExtendWith(LiveCluster.class)
class RunE2ETest {

    @Test
    void runOnAUsersClusterInstallsReportsAndLeavesItAsFound(Cluster cluster, @TempDir Path out) throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", "--cluster", "kubeconfig", "--kubeconfig", cluster.kubeconfig().toString(), "--out", out.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("result").asText()).isEqualTo("passed");
        assertThat(summary.get("mesh").get("mode").asText()).isEqualTo("ambient");
        assertThat(out.resolve("plan.txt")).exists();
        assertThat(cluster.client().namespaces().withName("istio-system").get()).isNull();
    }
}
