package dev.meshproof.conformance;

import dev.meshproof.evidence.Evidence;
import dev.meshproof.verdict.Verdict;

/**
 * A check's verdict: a pure function of its recorded evidence, so {@code meshproof verdict RUN_DIR} (and anyone
 * holding the evidence) recomputes it without the cluster. Implemented by every {@link Check} class and listed in
 * {@code META-INF/services/dev.meshproof.conformance.ConformanceCheck} (the catalogue).
 */
public interface ConformanceCheck {
    Verdict verdict(Evidence evidence);
}
