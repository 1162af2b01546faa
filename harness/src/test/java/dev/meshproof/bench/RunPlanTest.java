package dev.meshproof.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunPlanTest {
    private static final List<DataPath> ALL = List.of(DataPath.NO_MESH, DataPath.SIDECAR, DataPath.AMBIENT_L4, DataPath.AMBIENT_L7);

    @Test
    void everyRoundRunsEveryModeOnceInAShuffledOrder() {
        List<RunPlan.Step> plan = RunPlan.of(ALL, 5, 42);
        assertThat(plan).hasSize(20);
        for (int rep = 1; rep <= 5; rep++) {
            int r = rep;
            assertThat(plan.stream().filter(s -> s.repetition() == r).map(RunPlan.Step::mode)).containsExactlyInAnyOrderElementsOf(ALL);
        }
        assertThat(plan.stream().map(RunPlan.Step::order)).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
        // shuffled: not every round in the profile's order
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(rep -> plan.stream()
                .filter(s -> s.repetition() == rep).map(RunPlan.Step::mode).toList())).anyMatch(round -> !round.equals(ALL));
    }

    @Test
    void theSeedMakesThePlanReproducible() {
        assertThat(RunPlan.of(ALL, 5, 7)).isEqualTo(RunPlan.of(ALL, 5, 7));
        assertThat(RunPlan.of(ALL, 5, 7)).isNotEqualTo(RunPlan.of(ALL, 5, 8));
    }
}
