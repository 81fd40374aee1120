package io.kubeai.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.cluster.Node;
import io.kubeai.core.cycle.CycleConfig;
import io.kubeai.core.cycle.CycleResult;
import io.kubeai.core.cycle.Decision;
import io.kubeai.core.cycle.SchedulingCycle;
import io.kubeai.core.cycle.SchedulingState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.queue.QueueSpec;
import io.kubeai.core.queue.QueueTree;
import io.kubeai.core.queue.QuotaLedger;
import io.kubeai.core.resource.PodRequest;
import io.kubeai.core.workload.Admission;
import io.kubeai.core.workload.Timing;
import io.kubeai.core.workload.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClosingEvictionsTest {
    private static final PodRequest ONE_GPU = PodRequest.cpuOnly(1000, 1L << 30).withGpus(1, 1000);

    @Test
    void aClosingWindowEvictsWithinItsBudgetLowestPriorityAndNewestFirst() {
        SchedulingState state = state();
        SchedulingCycle cycle = new SchedulingCycle(CycleConfig.DEFAULT, new NodeSelector(new PlacementBestFit()));
        cycle.run(state, List.of(w("a", 5, 0), w("b", 1, 1), w("d", 9, 3)), 10, new SplittableRandom(1));
        cycle.run(state, List.of(w("c", 1, 2)), 20, new SplittableRandom(1)); // admitted last
        QueueTree tree = state.quota().tree();
        List<Admission> first = ClosingEvictions.choose(state.running(), Map.of("dev", "closed"), tree::name, 2, 0);
        assertThat(first).extracting(a -> a.workload().id()).containsExactly("c", "b");
        assertThat(ClosingEvictions.choose(state.running(), Map.of("dev", "closed"), tree::name, 2, 2)).isEmpty();
        assertThat(ClosingEvictions.choose(state.running(), Map.of(), tree::name, 2, 0)).isEmpty();
    }

    @Test
    void theCycleHoldsDeferredWorkAndClosedQueuesWithTheirReasons() {
        SchedulingState state = state();
        java.time.Instant now = TimeWindowTest.local("2026-06-10T15:00");
        Stagger stagger = new Stagger(StaggerTest.OFF_PEAK, Duration.ZERO);
        SchedulingCycle cycle = new SchedulingCycle(CycleConfig.DEFAULT, new NodeSelector(new PlacementBestFit()), stagger);
        Workload nightly = w("nightly", 0, 0).withTiming(new Timing("prod", true, null, null, 600));
        Workload adhoc = w("adhoc", 0, 0);
        CycleResult r = cycle.run(state, List.of(nightly, adhoc), now.getEpochSecond(), new SplittableRandom(1));
        assertThat(r.admitted()).extracting(a -> a.workload().id()).containsExactly("adhoc");
        assertThat(r.waits()).singleElement().satisfies(wt -> {
            assertThat(wt.why()).isEqualTo(Decision.WaitReason.DEFERRED);
            assertThat(wt.message()).contains("the off-peak window");
        });
        CycleResult closed = cycle.run(state, List.of(w("late", 0, 0)), now.getEpochSecond(), new SplittableRandom(1),
                Map.of("dev", "queue dev is closed until 06:00"));
        assertThat(closed.waits()).singleElement().satisfies(wt -> assertThat(wt.message())
                .isEqualTo("queue dev is closed until 06:00"));
    }

    private static SchedulingState state() {
        ClusterState cluster = new ClusterState(List.of(Node.of("n", 64_000, 256L << 30, 8, "A100")));
        QueueTree tree = QueueTree.of(List.of(QueueSpec.named("dev").build()));
        return new SchedulingState(cluster, new QuotaLedger(tree, cluster.capacity()));
    }

    private static Workload w(String id, int priority, long created) {
        return Workload.gang(id, "dev", priority, created, 1, ONE_GPU);
    }
}
