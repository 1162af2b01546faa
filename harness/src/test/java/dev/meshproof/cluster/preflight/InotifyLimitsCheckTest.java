package dev.meshproof.cluster.preflight;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InotifyLimitsCheckTest {
    @TempDir
    Path dir;

    CheckResult run(String instances, String watches) throws IOException {
        Files.writeString(dir.resolve("max_user_instances"), instances);
        Files.writeString(dir.resolve("max_user_watches"), watches);
        return new InotifyLimitsCheck(dir).run();
    }

    @Test
    void recommendedLimitsPass() throws IOException {
        CheckResult r = run("512\n", "524288\n");
        assertThat(r.status()).isEqualTo(CheckResult.Status.OK);
        assertThat(r.detail()).isEqualTo("max_user_instances=512, max_user_watches=524288");
    }

    @Test
    void defaultDistroLimitsWarnWithTheSysctlToRun() throws IOException {
        CheckResult r = run("128\n", "8192\n");
        assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
        assertThat(r.hint()).isEqualTo("sudo sysctl -w fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288");
    }

    @Test
    void unreadableLimitsWarn() {
        assertThat(new InotifyLimitsCheck(dir.resolve("absent")).run().status()).isEqualTo(CheckResult.Status.WARN);
    }

    @Test
    void readsThisHostsProcfsCompletely() {
        // procfs files report size 0; the values must still be read in full
        CheckResult r = InotifyLimitsCheck.forThisHost().run();
        assertThat(r.detail()).doesNotContain("max_user_instances=1,").doesNotContain("max_user_watches=1 ");
    }
}
