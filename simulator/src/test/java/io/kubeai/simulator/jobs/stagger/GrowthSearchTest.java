package io.kubeai.simulator.jobs.stagger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthSearchTest {

    @Test
    void eachPolicyGetsTheSmallestTriedCountThatPassesAfterTryingEverySmallerOne() {
        StaggerExperiment.Spec base = StaggerExperiment.Spec.defaults().withNodes(4)
                .withWork(new StaggerWork(4, 1, 3, 0.1, 0.15, 2, 50, 3600, 1.0));
        GrowthSearch.Result r = GrowthSearch.run(new GrowthSearch.Spec(base, 2.0, 0.5, 0.5, 2.0, 2, false));
        for (GrowthSearch.PolicyResult p : List.of(r.none(), r.ours())) {
            List<Integer> counts = p.tried().stream().map(GrowthSearch.Point::nodes).toList();
            assertThat(counts).isSorted().isSubsetOf(4, 6, 8).isNotEmpty().startsWith(4);
            if (p.neededNodes() > 0) {
                assertThat(p.tried()).filteredOn(GrowthSearch.Point::passes).extracting(GrowthSearch.Point::nodes)
                        .contains(p.neededNodes());
                assertThat(p.tried()).filteredOn(x -> x.nodes() < p.neededNodes()).noneMatch(GrowthSearch.Point::passes);
                // Nothing is tried beyond the answer.
                assertThat(counts).allMatch(n -> n <= p.neededNodes() + 2);
            } else {
                assertThat(counts).containsExactly(4, 6, 8);
                assertThat(p.tried()).noneMatch(GrowthSearch.Point::passes);
            }
            assertThat(p.before().nodes()).isEqualTo(4);
        }
        assertThat(GrowthSearch.table(r)).contains("no staggering").contains("ours").contains("nodes needed");
    }

    @Test
    void theBarIsEachPolicysOwnLevelOrWhenSharedTheLowerOfTheTwo() {
        java.util.Map<StaggerExperiment.Policy, GrowthSearch.Point> before = java.util.Map.of(
                StaggerExperiment.Policy.NONE, new GrowthSearch.Point(StaggerExperiment.Policy.NONE, 10, 56, 0, 3000, 0, true),
                StaggerExperiment.Policy.OURS, new GrowthSearch.Point(StaggerExperiment.Policy.OURS, 10, 56, 0, 7000, 0, true));
        GrowthSearch.Spec own = GrowthSearch.Spec.defaults();
        GrowthSearch.Spec shared = new GrowthSearch.Spec(own.base(), 2, 0.01, 0.1, 3, 1, true);
        assertThat(GrowthSearch.bar(own, before, StaggerExperiment.Policy.OURS)).isEqualTo(7000);
        assertThat(GrowthSearch.bar(own, before, StaggerExperiment.Policy.NONE)).isEqualTo(3000);
        assertThat(GrowthSearch.bar(shared, before, StaggerExperiment.Policy.OURS)).isEqualTo(3000);
    }
}
