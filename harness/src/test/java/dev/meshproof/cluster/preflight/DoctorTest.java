package dev.meshproof.cluster.preflight;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorTest {

    record Fixed(String description, CheckResult result) implements Check {
        @Override
        public CheckResult run() {
            return result;
        }
    }

    static final class Counting implements Check {
        int runs;

        @Override
        public String description() {
            return "depends on the first";
        }

        @Override
        public CheckResult run() {
            runs++;
            return CheckResult.ok("ran");
        }
    }

    @Test
    void failSkipsTheRestOfItsCategoryButNotOtherCategories() {
        Counting dependent = new Counting();
        Counting independent = new Counting();
        StringWriter text = new StringWriter();
        List<Doctor.Outcome> outcomes = new Doctor(List.of(
                new Doctor.Category("docker", List.of(new Fixed("Docker engine reachable", CheckResult.fail("no engine", "start Docker")), dependent)),
                new Doctor.Category("host", List.of(independent))))
                .run(new PrintWriter(text));

        assertThat(dependent.runs).isZero();
        assertThat(independent.runs).isOne();
        assertThat(Doctor.anyFailed(outcomes)).isTrue();
        assertThat(outcomes).extracting(o -> o.result().status())
                .containsExactly(CheckResult.Status.FAIL, CheckResult.Status.SKIPPED, CheckResult.Status.OK);
        assertThat(text.toString()).contains("""
                docker
                  [FAIL] Docker engine reachable: no engine
                         hint: start Docker
                  [skip] depends on the first: needs 'Docker engine reachable'
                host
                  [ok]   depends on the first: ran
                """).contains("Status: 1 required check failed");
    }

    @Test
    void warningsDoNotFail() {
        StringWriter text = new StringWriter();
        List<Doctor.Outcome> outcomes = new Doctor(List.of(new Doctor.Category("host", List.of(
                new Fixed("inotify limits", CheckResult.warn("low", "raise them")),
                new Fixed("modules", CheckResult.ok("12 loaded"))))))
                .run(new PrintWriter(text));
        assertThat(Doctor.anyFailed(outcomes)).isFalse();
        assertThat(text.toString()).contains("  [warn] inotify limits: low\n         hint: raise them\n")
                .contains("Status: all required checks passed (1 warning)");
    }

    @Test
    void aCheckThatThrowsIsReportedAsFailedNotPropagated() {
        Check broken = new Check() {
            @Override
            public String description() {
                return "broken";
            }

            @Override
            public CheckResult run() {
                throw new IllegalStateException("boom");
            }
        };
        List<Doctor.Outcome> outcomes = new Doctor(List.of(new Doctor.Category("x", List.of(broken)))).run(new PrintWriter(new StringWriter()));
        assertThat(outcomes.get(0).result().status()).isEqualTo(CheckResult.Status.FAIL);
        assertThat(outcomes.get(0).result().detail()).contains("boom");
    }
}
