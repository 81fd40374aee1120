package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.cycle.World.oneNode;
import static io.kubeai.core.cycle.World.twoNodes;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order a cycle decides in: work within its queue's guarantee before work that would borrow,
 * then aged priority, then queue priority, then weighted dominant
 * share (lower first), then age, then id; and what a waiting head does to the work behind it.
 * In most cases only one of the pending workloads fits, so the order shows in who is admitted.
 */
class SchedulingCycleOrderTest {

    record Case(String name, World given, long now, List<Workload> pending, List<String> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final CycleConfig AGING = CycleConfig.DEFAULT.withAging(600, 1, 10);

    static Stream<Case> cases() {
        return Stream.of(
                new Case("higher priority goes first across queues",
                        World.of(oneNode(), queue("a"), queue("b")), 20,
                        List.of(workload("a1").queue("a").priority(0).createdAt(0).pod(gpus(8)).build(),
                                workload("b1").queue("b").priority(5).createdAt(10).pod(gpus(8)).build()),
                        List.of("admit b1 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("work within its queue's guarantee goes before higher-priority work that would borrow",
                        World.of(oneNode(), queue("a").minGpus(8), queue("b")), 20,
                        List.of(workload("a1").queue("a").priority(0).createdAt(10).pod(gpus(8)).build(),
                                workload("b1").queue("b").priority(5).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit a1 on n1", "wait b1 QUOTA_CAPACITY")),
                new Case("priority decides again once the guaranteed head would borrow too",
                        World.of(oneNode(), queue("a").minGpus(4), queue("b")), 20,
                        List.of(workload("a1").queue("a").priority(0).createdAt(0).pod(gpus(8)).build(),
                                workload("b1").queue("b").priority(5).createdAt(10).pod(gpus(8)).build()),
                        List.of("admit b1 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("queue priority breaks a tie of workload priority",
                        World.of(oneNode(), queue("a"), queue("b").priority(1)), 20,
                        List.of(workload("a1").queue("a").createdAt(0).pod(gpus(8)).build(),
                                workload("b1").queue("b").createdAt(10).pod(gpus(8)).build()),
                        List.of("admit b1 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("workload priority goes before queue priority",
                        World.of(oneNode(), queue("a"), queue("b").priority(9)), 20,
                        List.of(workload("a1").queue("a").priority(1).pod(gpus(8)).build(),
                                workload("b1").queue("b").pod(gpus(8)).build()),
                        List.of("admit a1 on n1", "wait b1 QUOTA_CAPACITY")),
                new Case("the queue holding the smaller share goes first",
                        World.of(oneNode(), queue("a"), queue("b"))
                                .running(0, workload("a0").queue("a").pod(gpus(4)).build()), 10,
                        List.of(workload("a1").queue("a").createdAt(1).pod(gpus(4)).build(),
                                workload("b1").queue("b").createdAt(2).pod(gpus(4)).build()),
                        List.of("admit b1 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("priority goes before share",
                        World.of(oneNode(), queue("a"), queue("b"))
                                .running(0, workload("a0").queue("a").pod(gpus(4)).build()), 10,
                        List.of(workload("a1").queue("a").priority(1).createdAt(1).pod(gpus(4)).build(),
                                workload("b1").queue("b").createdAt(2).pod(gpus(4)).build()),
                        List.of("admit a1 on n1", "wait b1 QUOTA_CAPACITY")),
                // a: 8 of 16 GPUs over weight 4 is 0.125; b: 4 of 16 over weight 1 is 0.25.
                new Case("a weight divides a queue's share",
                        World.of(twoNodes(), queue("a").weight(4), queue("b"))
                                .running(0, workload("a0").queue("a").pod(gpus(8)).build(),
                                        workload("b0").queue("b").pod(gpus(4)).build()), 10,
                        List.of(workload("b1").queue("b").createdAt(1).pod(gpus(4)).build(),
                                workload("a1").queue("a").createdAt(2).pod(gpus(4)).build()),
                        List.of("admit a1 on n2", "wait b1 QUOTA_CAPACITY")),
                new Case("without the weight the same queue goes last",
                        World.of(twoNodes(), queue("a"), queue("b"))
                                .running(0, workload("a0").queue("a").pod(gpus(8)).build(),
                                        workload("b0").queue("b").pod(gpus(4)).build()), 10,
                        List.of(workload("b1").queue("b").createdAt(1).pod(gpus(4)).build(),
                                workload("a1").queue("a").createdAt(2).pod(gpus(4)).build()),
                        List.of("admit b1 on n2", "wait a1 QUOTA_CAPACITY")),
                new Case("the older head goes first when shares are equal",
                        World.of(oneNode(), queue("a"), queue("b")), 20,
                        List.of(workload("a1").queue("a").createdAt(5).pod(gpus(8)).build(),
                                workload("b1").queue("b").createdAt(1).pod(gpus(8)).build()),
                        List.of("admit b1 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("the id breaks the last tie",
                        World.of(oneNode(), queue("a"), queue("b")), 20,
                        List.of(workload("b1").queue("b").pod(gpus(8)).build(),
                                workload("a1").queue("a").pod(gpus(8)).build()),
                        List.of("admit a1 on n1", "wait b1 QUOTA_CAPACITY")),
                new Case("within a queue higher priority goes before the older",
                        World.of(oneNode(), queue("a")), 20,
                        List.of(workload("a1").queue("a").createdAt(0).pod(gpus(8)).build(),
                                workload("a2").queue("a").priority(1).createdAt(5).pod(gpus(8)).build()),
                        List.of("admit a2 on n1", "wait a1 QUOTA_CAPACITY")),
                new Case("within a queue the older goes first at equal priority",
                        World.of(oneNode(), queue("a")), 20,
                        List.of(workload("a2").queue("a").createdAt(5).pod(gpus(8)).build(),
                                workload("a1").queue("a").createdAt(0).pod(gpus(8)).build()),
                        List.of("admit a1 on n1", "wait a2 QUOTA_CAPACITY")),
                // lo waited 3600 s: 0 + 6; hi waited 600 s: 2 + 1.
                new Case("a low-priority workload overtakes after waiting long enough",
                        World.of(oneNode(), queue("a"), queue("b")).config(AGING), 3600,
                        List.of(workload("hi").queue("b").priority(2).createdAt(3000).pod(gpus(8)).build(),
                                workload("lo").queue("a").priority(0).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit lo on n1", "wait hi QUOTA_CAPACITY")),
                // lo waited 1000 s: 0 + 1; hi has not waited: 2.
                new Case("a low-priority workload that has not waited long enough does not overtake",
                        World.of(oneNode(), queue("a"), queue("b")).config(AGING), 1000,
                        List.of(workload("hi").queue("b").priority(2).createdAt(1000).pod(gpus(8)).build(),
                                workload("lo").queue("a").priority(0).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit hi on n1", "wait lo QUOTA_CAPACITY")),
                new Case("aging stops at its largest boost",
                        World.of(oneNode(), queue("a"), queue("b")).config(CycleConfig.DEFAULT.withAging(600, 1, 1)),
                        3600,
                        List.of(workload("hi").queue("b").priority(2).createdAt(3000).pod(gpus(8)).build(),
                                workload("lo").queue("a").priority(0).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit hi on n1", "wait lo QUOTA_CAPACITY")),
                new Case("without aging priority alone decides",
                        World.of(oneNode(), queue("a"), queue("b")).config(CycleConfig.DEFAULT.withAging(0, 1, 10)),
                        36_000,
                        List.of(workload("hi").queue("b").priority(2).createdAt(3000).pod(gpus(8)).build(),
                                workload("lo").queue("a").priority(0).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit hi on n1", "wait lo QUOTA_CAPACITY")),
                new Case("aging reorders a queue too",
                        World.of(oneNode(), queue("a")).config(AGING), 3600,
                        List.of(workload("hi").queue("a").priority(2).createdAt(3000).pod(gpus(8)).build(),
                                workload("lo").queue("a").priority(0).createdAt(0).pod(gpus(8)).build()),
                        List.of("admit lo on n1", "wait hi QUOTA_CAPACITY")),
                new Case("a strict-FIFO queue stops at a head that waits",
                        World.of(oneNode(), queue("s").strictFifo()), 10,
                        List.of(workload("s1").queue("s").createdAt(0).pods(2, gpus(8)).build(),
                                workload("s2").queue("s").createdAt(1).pod(gpus(1)).build(),
                                workload("s3").queue("s").createdAt(2).pod(gpus(1)).build()),
                        List.of("wait s1 QUOTA_CAPACITY", "wait s2 BLOCKED_BEHIND_HEAD", "wait s3 BLOCKED_BEHIND_HEAD")),
                new Case("a strict-FIFO queue admits in order up to the first that waits",
                        World.of(oneNode(), queue("s").strictFifo()), 10,
                        List.of(workload("s1").queue("s").createdAt(0).pod(gpus(4)).build(),
                                workload("s2").queue("s").createdAt(1).pod(gpus(6)).build(),
                                workload("s3").queue("s").createdAt(2).pod(gpus(1)).build()),
                        List.of("admit s1 on n1", "wait s2 QUOTA_CAPACITY", "wait s3 BLOCKED_BEHIND_HEAD")),
                new Case("a best-effort queue lets smaller work pass a head that waits",
                        World.of(oneNode(), queue("s")), 10,
                        List.of(workload("s1").queue("s").createdAt(0).pods(2, gpus(8)).build(),
                                workload("s2").queue("s").createdAt(1).pod(gpus(1)).build()),
                        List.of("wait s1 QUOTA_CAPACITY", "admit s2 on n1")),
                // x0 leaves 5 GPUs on n1: big's second 6-GPU pod has nowhere to go.
                new Case("a big gang that cannot be placed does not block small work in other queues",
                        World.of(twoNodes(), queue("s").strictFifo(), queue("o"), queue("x"))
                                .running(0, workload("x0").queue("x").pod(gpus(3)).build()), 10,
                        List.of(workload("big").queue("s").createdAt(0).pods(2, gpus(6)).build(),
                                workload("s2").queue("s").createdAt(1).pod(gpus(1)).build(),
                                workload("o1").queue("o").createdAt(2).pod(gpus(4)).build()),
                        List.of("wait big NO_PLACEMENT", "wait s2 BLOCKED_BEHIND_HEAD", "admit o1 on n1")),
                new Case("a workload that waited its timeout expires",
                        World.of(oneNode(), queue("a")), 60,
                        List.of(workload("late").queue("a").createdAt(0).timeout(60).pod(gpus(1)).build()),
                        List.of("expire late")),
                new Case("a workload a second short of its timeout is still scheduled",
                        World.of(oneNode(), queue("a")), 59,
                        List.of(workload("late").queue("a").createdAt(0).timeout(60).pod(gpus(1)).build()),
                        List.of("admit late on n1")),
                new Case("a workload without a timeout never expires",
                        World.of(oneNode(), queue("a")), 1_000_000,
                        List.of(workload("patient").queue("a").createdAt(0).pod(gpus(1)).build()),
                        List.of("admit patient on n1")),
                new Case("workloads for unknown or parent queues wait, decided before the rest",
                        World.of(oneNode(), queue("org"), queue("a").parent("org")), 10,
                        List.of(workload("a1").queue("a").pod(gpus(1)).build(),
                                workload("lost").queue("nope").pod(gpus(1)).build(),
                                workload("to-org").queue("org").pod(gpus(1)).build()),
                        List.of("wait lost UNKNOWN_QUEUE", "wait to-org UNKNOWN_QUEUE", "admit a1 on n1")),
                new Case("a workload already running is not decided again",
                        World.of(oneNode(), queue("a")).running(0, workload("a0").queue("a").pod(gpus(4)).build()), 10,
                        List.of(workload("a0").queue("a").pod(gpus(4)).build(),
                                workload("a1").queue("a").createdAt(1).pod(gpus(4)).build()),
                        List.of("admit a1 on n1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesInOrder(Case c) {
        assertThat(World.summary(c.given.run(c.now, c.pending))).isEqualTo(c.want);
    }
}
