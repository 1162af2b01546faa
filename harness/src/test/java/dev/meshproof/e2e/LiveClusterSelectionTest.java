package dev.meshproof.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

import static org.assertj.core.api.Assertions.assertThat;

/** Outside -Pe2e the live tier is disabled with its reason; with it, enabled (the condition reads only the property). */
class LiveClusterSelectionTest {
    final String before = System.getProperty("meshproof.e2e");

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("meshproof.e2e");
        } else {
            System.setProperty("meshproof.e2e", before);
        }
    }

    @Test
    void disabledWithReasonUnlessSelected() {
        System.setProperty("meshproof.e2e", "false");
        ConditionEvaluationResult r = new LiveCluster().evaluateExecutionCondition(null);
        assertThat(r.isDisabled()).isTrue();
        assertThat(r.getReason()).contains("e2e: not selected (run with -Pe2e)");
    }

    @Test
    void enabledWhenSelected() {
        System.setProperty("meshproof.e2e", "true");
        assertThat(new LiveCluster().evaluateExecutionCondition(null).isDisabled()).isFalse();
    }
}
