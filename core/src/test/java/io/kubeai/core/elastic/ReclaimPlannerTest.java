package io.kubeai.core.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.config.ElasticPolicy;
import io.kubeai.core.elastic.ReclaimPlanner.NodeLending;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReclaimPlannerTest {
    static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    static final ElasticPolicy.ResourceNames NAMES = ElasticPolicy.DEFAULT.resources();
    static final Set<ElasticResource> ALL = EnumSet.allOf(ElasticResource.class);

    static ElasticPod pod(String key, String node, int priority, int startedMinute, long cpu) {
        return new ElasticPod(key, node, priority, T0.plusSeconds(60L * startedMinute), new ElasticAmounts(cpu, 0, 0));
    }

    static NodeLending lends(String node, long cpu) {
        return new NodeLending(node, new ElasticAmounts(cpu, 1L << 40, 8), ALL);
    }

    record Case(String name, List<NodeLending> nodes, List<ElasticPod> pods, int budget, List<String> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("what fits is left alone",
                        List.of(lends("n1", 8_000)), List.of(pod("ml/a", "n1", 0, 0, 4_000), pod("ml/b", "n1", 0, 1, 4_000)),
                        5, List.of()),
                new Case("lowest priority goes first",
                        List.of(lends("n1", 6_000)), List.of(pod("ml/hi", "n1", 10, 0, 4_000),
                                pod("ml/lo", "n1", 0, 0, 4_000)), 5, List.of("ml/lo")),
                new Case("among equal priorities, the youngest goes first",
                        List.of(lends("n1", 6_000)), List.of(pod("ml/old", "n1", 0, 0, 4_000),
                                pod("ml/young", "n1", 0, 30, 4_000)), 5, List.of("ml/young")),
                new Case("same age and priority: by key",
                        List.of(lends("n1", 6_000)), List.of(pod("ml/b", "n1", 0, 0, 4_000), pod("ml/a", "n1", 0, 0, 4_000)),
                        5, List.of("ml/a")),
                new Case("as many as it takes to fit",
                        List.of(lends("n1", 2_000)), List.of(pod("ml/a", "n1", 0, 1, 2_000), pod("ml/b", "n1", 0, 2, 2_000),
                                pod("ml/c", "n1", 0, 3, 2_000)), 5, List.of("ml/c", "ml/b")),
                new Case("a pod holding none of what is short is spared",
                        List.of(lends("n1", 2_000)), List.of(new ElasticPod("ml/mem-only", "n1", 0, T0.plusSeconds(9_000),
                                new ElasticAmounts(0, 1L << 30, 0)), pod("ml/cpu", "n1", 5, 0, 4_000)), 5,
                        List.of("ml/cpu")),
                new Case("nothing lent at all: every holder goes",
                        List.of(lends("n1", 0)), List.of(pod("ml/a", "n1", 0, 0, 1_000), pod("ml/b", "n1", 0, 1, 1_000)),
                        5, List.of("ml/b", "ml/a")),
                new Case("the budget caps evictions across the cluster",
                        List.of(lends("n1", 0), lends("n2", 0)), List.of(pod("ml/a", "n1", 0, 0, 1_000),
                                pod("ml/b", "n1", 0, 1, 1_000), pod("ml/c", "n2", 0, 0, 1_000)), 2, List.of("ml/b", "ml/a")),
                new Case("the node worst off goes first",
                        List.of(lends("n1", 3_000), lends("n2", 1_000)), List.of(pod("ml/a", "n1", 0, 0, 4_000),
                                pod("ml/b", "n2", 0, 0, 4_000)), 1, List.of("ml/b")),
                new Case("a budget of zero evicts nothing",
                        List.of(lends("n1", 0)), List.of(pod("ml/a", "n1", 0, 0, 1_000)), 0, List.of()),
                new Case("an unknown figure (stale metrics) never evicts",
                        List.of(new NodeLending("n1", ElasticAmounts.ZERO, EnumSet.of(ElasticResource.MEMORY))),
                        List.of(pod("ml/a", "n1", 0, 0, 4_000)), 5, List.of()),
                new Case("a pod of unknown age counts as the oldest",
                        List.of(lends("n1", 1_000)), List.of(new ElasticPod("ml/unknown", "n1", 0, null,
                                new ElasticAmounts(1_000, 0, 0)), pod("ml/known", "n1", 0, 0, 1_000)), 5,
                        List.of("ml/known")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evictsLowestPriorityAndYoungestFirstWithinTheBudget(Case c) {
        ReclaimPlanner.Plan plan = ReclaimPlanner.plan(c.nodes, c.pods, c.budget, NAMES);
        assertThat(plan.evictions()).extracting(ReclaimPlanner.Eviction::podKey).isEqualTo(c.want);
    }

    @Test
    void eachEvictionSaysWhyAndWhatIsLeftWhenTheBudgetIsSpent() {
        ReclaimPlanner.Plan plan = ReclaimPlanner.plan(List.of(lends("gpu-a", 4_000)), List.of(
                pod("ml/a", "gpu-a", 0, 0, 3_000), pod("ml/b", "gpu-a", 0, 5, 3_500)), 1, NAMES);
        assertThat(plan).isEqualTo(new ReclaimPlanner.Plan(List.of(new ReclaimPlanner.Eviction("ml/b", "gpu-a",
                "node gpu-a lends 4000m of kubeai.io/elastic-cpu now but its elastic pods hold 6500m: evicting ml/b"
                        + " (priority 0, started 2025-03-01T08:05:00Z), lowest priority and youngest first")),
                List.of()));
        ReclaimPlanner.Plan spent = ReclaimPlanner.plan(List.of(lends("gpu-a", 0)), List.of(
                pod("ml/a", "gpu-a", 0, 0, 3_000), pod("ml/b", "gpu-a", 0, 5, 3_500)), 1, NAMES);
        assertThat(spent.evictions()).extracting(ReclaimPlanner.Eviction::podKey).containsExactly("ml/b");
        assertThat(spent.deferred()).containsExactly("node gpu-a still lends 3000m of kubeai.io/elastic-cpu less than its"
                + " elastic pods hold; the reclaim budget of 1 evictions per interval is spent, the next interval goes on");
    }

    @Test
    void memoryAndGpusAreReclaimedToo() {
        NodeLending n = new NodeLending("gpu-a", new ElasticAmounts(100_000, 8L << 30, 1), ALL);
        ElasticPod bigMemory = new ElasticPod("ml/mem", "gpu-a", 0, T0, new ElasticAmounts(0, 16L << 30, 0));
        ElasticPod twoGpus = new ElasticPod("ml/gpu", "gpu-a", 0, T0, new ElasticAmounts(0, 0, 2));
        ReclaimPlanner.Plan plan = ReclaimPlanner.plan(List.of(n), List.of(bigMemory, twoGpus), 5, NAMES);
        assertThat(plan.evictions()).extracting(ReclaimPlanner.Eviction::podKey).containsExactly("ml/gpu", "ml/mem");
        assertThat(plan.evictions().get(0).reason()).startsWith("node gpu-a lends 8Gi of kubeai.io/elastic-memory now but"
                + " its elastic pods hold 16Gi and 1 GPU of kubeai.io/elastic-gpu now but its elastic pods hold 2 GPUs");
    }
}
