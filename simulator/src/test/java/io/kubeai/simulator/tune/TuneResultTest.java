package io.kubeai.simulator.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TuneResultTest {
    static final TuneMetric ALLOC = TuneMetric.named("gpuAllocation").orElseThrow();
    static final TuneMetric DELAY = TuneMetric.named("queueingDelayP95").orElseThrow();
    static final TuneMetric EVICTIONS = TuneMetric.named("evictions").orElseThrow();

    static TuneSpace space(List<Constraint> constraints) {
        return new TuneSpace(List.of(new Knob("preemption.maxVictims", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), true)),
                List.of(ALLOC, DELAY), constraints, SearchSettings.DEFAULT, List.of(1L, 2L, 3L));
    }

    /** A configuration whose three seeds measured {@code alloc}, {@code delay} and {@code evictions} (each ± spread). */
    static Evaluation eval(int index, double alloc, double delay, double evictions, double spread) {
        double[][] runs = new double[3][TuneMetric.ALL.size()];
        for (int s = 0; s < 3; s++) {
            double d = (s - 1) * spread;
            runs[s][ALLOC.index()] = alloc + d / 100;
            runs[s][DELAY.index()] = delay + d;
            runs[s][EVICTIONS.index()] = evictions + d;
        }
        return new Evaluation(index == 0 ? Candidate.current() : new Candidate(index, List.of(index - 1)), runs);
    }

    static TuneResult result(List<Constraint> constraints, Evaluation... evals) {
        return new TuneResult(space(constraints), PolicyTrees.defaults(), "w", "f", evals.length, 0, 1, List.of(evals));
    }

    @Test
    void theFrontierKeepsWhatNothingBeatsOnEveryObjective() {
        TuneResult r = result(List.of(),
                eval(0, 0.80, 600, 0, 0),
                eval(1, 0.85, 900, 0, 0),   // more allocation, more delay: on the frontier
                eval(2, 0.80, 500, 0, 0),   // same allocation, less delay: beats 0
                eval(3, 0.70, 1000, 0, 0),  // beaten by everything
                eval(4, 0.85, 900, 5, 0));  // ties 1 on the objectives: neither beats the other
        assertThat(r.frontier()).extracting(e -> e.candidate().index()).containsExactly(1, 2, 4);
    }

    @Test
    void constraintsRuleOutConfigurationsBeforeTheFrontierAndTheRecommendation() {
        TuneResult r = result(List.of(Constraint.parse("evictions <= 3")),
                eval(0, 0.80, 600, 0, 0),
                eval(1, 0.95, 100, 10, 0),  // best on both, but evicts too much
                eval(2, 0.85, 500, 2, 0));
        assertThat(r.feasible()).extracting(e -> e.candidate().index()).containsExactly(0, 2);
        assertThat(r.frontier()).extracting(e -> e.candidate().index()).containsExactly(2);
        assertThat(r.recommended()).map(e -> e.candidate().index()).contains(2);
    }

    @Test
    void nothingIsRecommendedWhenNoConfigurationMeetsTheConstraints() {
        TuneResult r = result(List.of(Constraint.parse("evictions < 1")), eval(0, 0.8, 600, 4, 0), eval(1, 0.9, 600, 2, 0));
        assertThat(r.recommended()).isEmpty();
        assertThat(r.frontier()).extracting(e -> e.candidate().index()).containsExactly(1);
    }

    @Test
    void theRecommendationIsTheBalancedPointAndTiesGoToTheCurrentConfiguration() {
        TuneResult r = result(List.of(),
                eval(0, 0.80, 600, 0, 0),
                eval(1, 0.90, 1000, 0, 0),  // best allocation, worst delay
                eval(2, 0.70, 200, 0, 0),   // worst allocation, best delay
                eval(3, 0.86, 450, 0, 0));  // near both bests
        assertThat(r.recommended()).map(e -> e.candidate().index()).contains(3);
        TuneResult tie = result(List.of(), eval(0, 0.8, 600, 0, 0), eval(1, 0.8, 600, 0, 0));
        assertThat(tie.recommended()).map(e -> e.candidate().index()).contains(0);
    }

    @Test
    void theComparisonTellsAGainOnEverySeedFromNoise() {
        TuneResult r = result(List.of(), eval(0, 0.80, 600, 3, 50), eval(1, 0.85, 400, 3, 300));
        TuneResult.Comparison alloc = r.comparison().get(0);
        assertThat(alloc.metric()).isEqualTo(ALLOC);
        assertThat(alloc.medianChange()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(alloc.verdict()).isEqualTo("within noise (2 better, 1 worse of 3)");
        TuneResult.Comparison delay = r.comparison().get(1);
        assertThat(delay.metric()).isEqualTo(DELAY);
        assertThat(delay.verdict()).isEqualTo("within noise (2 better, 1 worse of 3)");
        TuneResult steady = result(List.of(), eval(0, 0.80, 600, 3, 10), eval(1, 0.85, 400, 3, 10));
        assertThat(steady.comparison().get(0).verdict()).isEqualTo("better on every seed");
        assertThat(steady.comparison().get(1).verdict()).isEqualTo("better on every seed");
        assertThat(steady.comparison().stream().filter(c -> c.metric() == EVICTIONS).findFirst().orElseThrow().verdict())
                .isEqualTo("no change");
    }

    @Property(tries = 200)
    void theFrontierIsExactlyTheUndominatedAndTheRecommendationLiesOnIt(
            @ForAll @Size(min = 1, max = 12) List<@DoubleRange(min = 0, max = 1) Double> allocs,
            @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 5) Integer> delays) {
        List<Evaluation> evals = new ArrayList<>();
        for (int i = 0; i < allocs.size(); i++) {
            // few distinct delays, so that ties are common
            evals.add(eval(i, allocs.get(i), 100.0 * delays.get(i), 0, 0));
        }
        TuneResult r = result(List.of(), evals.toArray(Evaluation[]::new));
        List<Evaluation> frontier = r.frontier();
        assertThat(frontier).isNotEmpty();
        for (Evaluation e : evals) {
            boolean dominated = evals.stream().anyMatch(o -> r.dominates(o, e));
            assertThat(frontier.contains(e)).isEqualTo(!dominated);
        }
        assertThat(r.recommended()).isPresent();
        assertThat(frontier).contains(r.recommended().get());
    }
}
