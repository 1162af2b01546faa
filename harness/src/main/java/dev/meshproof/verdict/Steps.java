package dev.meshproof.verdict;

import dev.meshproof.evidence.Evidence;

import java.util.Arrays;

/** Judging several steps at once: the verdict of every one, combined. */
public final class Steps {
    private Steps() {
    }

    public static Verdict judge(Evidence evidence, Step... steps) {
        return Verdict.all(Arrays.stream(steps).map(s -> s.judge(evidence)).toList());
    }
}
