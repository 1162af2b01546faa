package dev.meshproof.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order repetitions run in: rounds of every mode once, each round shuffled (seeded, so a plan can be
 * reproduced). Interleaving spreads slow drifts of the cluster (thermal, noisy neighbours, cache state)
 * over all modes instead of loading them onto whichever mode ran last.
 */
public final class RunPlan {
    public record Step(int order, DataPath mode, int repetition) {
    }

    private RunPlan() {
    }

    public static List<Step> of(List<DataPath> modes, int repetitions, long seed) {
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        for (int rep = 1; rep <= repetitions; rep++) {
            List<DataPath> round = new ArrayList<>(modes);
            Collections.shuffle(round, random);
            for (DataPath m : round) {
                steps.add(new Step(steps.size() + 1, m, rep));
            }
        }
        return steps;
    }
}
