package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpuNode;
import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.testing.Builders.cluster;
import static io.kubeai.core.testing.Builders.devices;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cluster.ClusterState;
import io.kubeai.core.placement.NodeSelector;
import io.kubeai.core.placement.PlacementBestFit;
import io.kubeai.core.placement.TieBreak;
import io.kubeai.core.testing.WorkloadBuilder;
import io.kubeai.core.workload.PlannedPod;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GangPlannerTest {

    record Case(String name, ClusterState given, WorkloadBuilder gang, GangPlanner.Outcome want, int wantPodsHeld) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static ClusterState twoNodes() {
        return cluster(gpuNode("n1", 8), gpuNode("n2", 8)).build();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("every pod placed is held",
                        twoNodes(), workload("g").pods(2, gpus(6)),
                        new GangPlanner.Planned(List.of(
                                new PlannedPod("g/worker-0", gpus(6).build(), 0, "n1", devices(0, 1, 2, 3, 4, 5)),
                                new PlannedPod("g/worker-1", gpus(6).build(), 1, "n2", devices(0, 1, 2, 3, 4, 5)))),
                        2),
                new Case("too few placed are all taken back",
                        twoNodes(), workload("g").pods(3, gpus(6)),
                        new GangPlanner.NotPlaced(2, 3, "0/2 nodes fit: 2 insufficient GPU"), 0),
                new Case("minMember placed is enough, the rest are left out",
                        twoNodes(), workload("g").pods(3, gpus(6)).minMember(2),
                        new GangPlanner.Planned(List.of(
                                new PlannedPod("g/worker-0", gpus(6).build(), 0, "n1", devices(0, 1, 2, 3, 4, 5)),
                                new PlannedPod("g/worker-1", gpus(6).build(), 1, "n2", devices(0, 1, 2, 3, 4, 5)))),
                        2),
                new Case("pod sets are placed in order and named by set",
                        twoNodes(), workload("g").podSet("launcher", 1, pod().cpu(1000).build())
                                .podSet("worker", 1, gpus(8).build()),
                        new GangPlanner.Planned(List.of(
                                new PlannedPod("g/launcher-0", pod().cpu(1000).build(), 0, "n1", 0),
                                new PlannedPod("g/worker-0", gpus(8).build(), 0, "n1", devices(0, 1, 2, 3, 4, 5, 6, 7)))),
                        2),
                new Case("a gang that cannot reach minMember stops at the first failure",
                        cluster(gpuNode("n1", 8)).build(), workload("g").pods(4, gpus(4)),
                        new GangPlanner.NotPlaced(2, 4, "0/1 nodes fit: 1 insufficient GPU"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesAGangWholeOrTakesItAllBack(Case c) {
        NodeSelector selector = new NodeSelector(new PlacementBestFit(), TieBreak.byRank(new int[] {0, 1}));

        GangPlanner.Outcome got = GangPlanner.plan(c.given, c.gang.build(), selector, new SplittableRandom(0));

        assertThat(got).isEqualTo(c.want);
        assertThat(c.given.podCount()).isEqualTo(c.wantPodsHeld);
        if (got instanceof GangPlanner.Planned p) {
            GangPlanner.discard(c.given, p.pods());
            assertThat(c.given.podCount()).as("after discard").isZero();
        }
    }
}
