package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.SchedulingPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SearchPropertiesTest {
    static TuneSpace space(int victimLevels, int budget, long seed, SearchSettings.Method method) {
        List<Object> victims = new ArrayList<>();
        for (long v = 0; v < victimLevels; v++) {
            victims.add(v * 4); // 16, the default, is level 4
        }
        return new TuneSpace(List.of(
                new Knob("placement.policy", List.of("BestFit", "FGD", "GpuPacking"), false),
                new Knob("preemption.maxVictims", victims, true),
                new Knob("preemption.enabled", List.of(true, false), false)),
                List.of(TuneMetric.named("gpuAllocation").orElseThrow()), List.of(),
                new SearchSettings(method, budget, seed, 4), List.of(1L));
    }

    @Property(tries = 200)
    void drawnConfigurationsAreDistinctValidNumberedInOrderWithinTheBudgetAndNeverTheCurrentOne(
            @ForAll @IntRange(min = 1, max = 12) int victimLevels, @ForAll @IntRange(min = 1, max = 80) int budget,
            @ForAll long seed) {
        TuneSpace space = space(victimLevels, budget, seed, SearchSettings.Method.RANDOM);
        List<Candidate> drawn = new Search(space, PolicyTrees.defaults()).initial();
        SchedulingPolicy current = SchedulingPolicy.fromTree(PolicyTrees.defaults());
        // every combination but the current policy's, or the budget, whichever is fewer
        long others = space.size() - (victimLevels > 4 ? 1 : 0);
        assertThat(drawn).hasSize((int) Math.min(budget, others));
        assertThat(new HashSet<>(drawn.stream().map(Candidate::levels).toList())).hasSize(drawn.size());
        for (int i = 0; i < drawn.size(); i++) {
            assertThat(drawn.get(i).index()).isEqualTo(i + 1);
            assertThat(drawn.get(i).policy(space, PolicyTrees.defaults())).isNotEqualTo(current);
        }
        // the same seed draws the same configurations
        assertThat(new Search(space, PolicyTrees.defaults()).initial()).isEqualTo(drawn);
    }

    @Property(tries = 100)
    void refineRoundsStayNewAndWithinTheBudget(@ForAll @IntRange(min = 2, max = 12) int victimLevels,
            @ForAll @IntRange(min = 1, max = 40) int budget, @ForAll long seed) {
        TuneSpace space = space(victimLevels, budget, seed, SearchSettings.Method.REFINE);
        Search search = new Search(space, PolicyTrees.defaults());
        List<Candidate> all = new ArrayList<>(search.initial());
        for (int round = 0; round < 50 && search.remainingBudget() > 0; round++) {
            // any frontier will do for the invariant: the last configurations drawn
            List<Evaluation> frontier = all.stream().skip(Math.max(0, all.size() - 3))
                    .map(c -> new Evaluation(c, new double[][] {new double[TuneMetric.ALL.size()]})).toList();
            List<Candidate> next = search.refine(frontier);
            if (next.isEmpty()) {
                break;
            }
            assertThat(next.size()).isLessThanOrEqualTo(4);
            all.addAll(next);
        }
        assertThat(all.size()).isLessThanOrEqualTo(budget);
        assertThat(new HashSet<>(all.stream().map(Candidate::levels).toList())).hasSize(all.size());
        assertThat(all).extracting(Candidate::index).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, all.size()).boxed().toList());
    }
}
