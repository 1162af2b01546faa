package dev.meshproof.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeTest {

    @Test
    void cleansUpInReverseOrderAndContinuesPastFailures() {
        List<String> done = new ArrayList<>();
        try (Scope scope = new Scope("t")) {
            scope.onClose("first", () -> done.add("first"));
            scope.onClose("broken", () -> {
                throw new IllegalStateException("boom");
            });
            scope.onClose("last", () -> done.add("last"));
        }
        assertThat(done).containsExactly("last", "first");
    }

    @Test
    void closesOnlyOnce() {
        List<String> done = new ArrayList<>();
        Scope scope = new Scope("t");
        scope.onClose("x", () -> done.add("x"));
        scope.close();
        scope.close();
        assertThat(done).containsExactly("x");
    }

    @Test
    void keepLeavesEverythingUp() {
        List<String> done = new ArrayList<>();
        try (Scope scope = new Scope("t")) {
            scope.onClose("delete namespace a", () -> done.add("a"));
            scope.keep(true);
        }
        assertThat(done).isEmpty();
    }
}
