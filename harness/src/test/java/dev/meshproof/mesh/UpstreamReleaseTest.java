package dev.meshproof.mesh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Without ../shared/upstream the real-chart tests are skipped, with one line saying where it was looked for. */
class UpstreamReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void absentFolderDisablesTheTestsWithOneLine() {
        Path repoRoot = tmp.resolve("checkout");
        ConditionEvaluationResult result = UpstreamRelease.condition(UpstreamRelease.folder(repoRoot));
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("upstream: real Istio charts not found at " + tmp.resolve("shared/upstream")
                        + " (the real-chart tests need ../shared/upstream, see its README)")
                .doesNotContain("\n"));
    }

    @Test
    void theFolderIsResolvedBesideTheRepositoryRoot() {
        assertThat(UpstreamRelease.folder(Path.of("/work/wt-10"))).isEqualTo(Path.of("/work/shared/upstream"));
    }
}
