package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.cycle.World.oneNode;
import static io.kubeai.core.cycle.World.twoNodes;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.cycle.Decision.Victim;
import io.kubeai.core.cycle.Decision.WaitReason;
import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole decisions, with the sentences a person reads in {@code kubeai explain}. */
class SchedulingCycleMessagesTest {

    record Case(String name, World given, long now, List<Workload> pending, Decision want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Workload w(String id, String queue, int priority, int gpus) {
        return workload(id).queue(queue).priority(priority).pod(gpus(gpus)).build();
    }

    private static final Workload BIG = workload("big").queue("a").pod(gpus(8)).build();
    private static final Workload STRICT_HEAD = workload("s1").queue("s").createdAt(0).pods(2, gpus(8)).build();
    private static final Workload STRICT_NEXT = workload("s2").queue("s").createdAt(1).pod(gpus(1)).build();
    private static final Workload GANG = workload("g").queue("a").pods(3, pod().cpu(40_000).gpus(2)).build();
    private static final Workload A1 = w("a1", "a", 0, 4);
    private static final Workload A3 = workload("a3").queue("a").createdAt(2).pod(gpus(4)).build();
    private static final Workload HI = w("hi", "a", 5, 4);
    private static final Workload HI8 = w("hi", "a", 5, 8);
    private static final Workload LATE = workload("late").queue("a").createdAt(0).timeout(60).pod(gpus(1)).build();
    private static final Workload LOST = workload("lost").queue("nope").pod(gpus(1)).build();
    private static final Workload TO_ORG = workload("to-org").queue("org").pod(gpus(1)).build();
    private static final String ON_ONE_NODE = "the cluster's nvidia.com/gpu is all held: 8/8, the workload needs 4";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("more than the queue's max can ever hold",
                        World.of(oneNode(), queue("a").maxGpus(4)), 10, List.of(BIG),
                        new Decision.Wait(BIG, WaitReason.QUOTA_MAX, "can never be admitted: queue a would go above"
                                + " its max for nvidia.com/gpu: 0/4 in use, the workload needs 8")),
                new Case("more than the queue's max has left",
                        World.of(oneNode(), queue("a").maxGpus(8)).running(0, w("a0", "a", 0, 4)), 10,
                        List.of(w("a1", "a", 0, 6)),
                        new Decision.Wait(w("a1", "a", 0, 6), WaitReason.QUOTA_MAX, "queue a would go above its max"
                                + " for nvidia.com/gpu: 4/8 in use, the workload needs 6")),
                new Case("more than the queue may borrow",
                        World.of(oneNode(), queue("a").minGpus(4).borrowingLimitGpus(2), queue("b").minGpus(4))
                                .running(0, w("a0", "a", 0, 4)), 10, List.of(A1),
                        new Decision.Wait(A1, WaitReason.QUOTA_BORROWING_LIMIT, "queue a would hold 8"
                                + " nvidia.com/gpu, more than its min and borrowing limit allow (6 in all)")),
                new Case("more than the cluster can hold",
                        World.of(oneNode(), queue("s").strictFifo()), 10, List.of(STRICT_HEAD, STRICT_NEXT),
                        new Decision.Wait(STRICT_HEAD, WaitReason.QUOTA_CAPACITY, "can never be admitted: the whole"
                                + " cluster has 8 nvidia.com/gpu, the workload needs 16")),
                new Case("behind a head that waits in a strict-FIFO queue",
                        World.of(oneNode(), queue("s").strictFifo()), 10, List.of(STRICT_HEAD, STRICT_NEXT),
                        new Decision.Wait(STRICT_NEXT, WaitReason.BLOCKED_BEHIND_HEAD, "behind s1 in strict-FIFO"
                                + " queue s, which waits: can never be admitted: the whole cluster has 8 nvidia.com/gpu,"
                                + " the workload needs 16")),
                new Case("behind a head that preempts in a strict-FIFO queue",
                        World.of(oneNode(), queue("s").strictFifo()).running(0, w("lo", "s", 0, 8)), 10,
                        List.of(w("hi", "s", 5, 4), STRICT_NEXT),
                        new Decision.Wait(STRICT_NEXT, WaitReason.BLOCKED_BEHIND_HEAD, "behind hi in strict-FIFO"
                                + " queue s, which waits: it waits for 1 preempted workload(s) to leave")),
                new Case("a gang that fits quota but not the nodes",
                        World.of(twoNodes(), queue("a")), 10, List.of(GANG),
                        new Decision.Wait(GANG, WaitReason.NO_PLACEMENT, "fits quota, but only 2 of the 3 pods it"
                                + " needs at once fit on the nodes now; the next: 0/2 nodes fit: 2 insufficient cpu")),
                new Case("an owner whose min is borrowed where none may be taken",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, workload("b1").queue("b").pods(2, gpus(6)).build()), 10,
                        List.of(w("a1", "a", 0, 8)),
                        new Decision.Wait(w("a1", "a", 0, 8), WaitReason.QUOTA_CAPACITY, "the cluster's"
                                + " nvidia.com/gpu is held: 12/16, the workload needs 8; queue a is within its min,"
                                + " so it may reclaim capacity others borrow; none can be reclaimed now without taking"
                                + " another queue below its min, so it waits for borrowed capacity to free up")),
                new Case("an owner whose min is already being reclaimed in this cycle",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, w("b1", "b", 0, 4)).running(1, w("b2", "b", 0, 4))
                                .running(2, w("b3", "b", 0, 4)).running(3, w("b4", "b", 0, 4)), 10,
                        List.of(workload("a1").queue("a").createdAt(0).pod(gpus(4)).build(),
                                workload("a2").queue("a").createdAt(1).pod(gpus(4)).build(), A3),
                        new Decision.Wait(A3, WaitReason.QUOTA_CAPACITY, "the cluster's nvidia.com/gpu is all held:"
                                + " 16/16, the workload needs 4; queue a is within its min, so it may reclaim capacity"
                                + " others borrow; none can be reclaimed now without taking another queue below its"
                                + " min, so it waits for borrowed capacity to free up")),
                new Case("a reclaim of the lowest priority a queue borrows with",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, w("b1", "b", 2, 8)).running(1, w("b2", "b", 0, 4))
                                .running(2, w("b3", "b", 1, 4)), 10, List.of(A1),
                        new Decision.Preempt(A1,
                                List.of(new Victim("b2", "b", 0, "queue b borrows capacity queue a is guaranteed")),
                                "the cluster's nvidia.com/gpu is all held: 16/16, the workload needs 4; queue a is"
                                        + " within its min, so it may reclaim capacity others borrow; 1 workload"
                                        + " leaves to make room")),
                new Case("a preemption by priority from a queue that borrows",
                        World.of(oneNode(), queue("a"), queue("b").minGpus(4))
                                .running(0, w("b1", "b", 0, 4)).running(1, w("b2", "b", 0, 4)), 10,
                        List.of(w("a1", "a", 3, 4)),
                        new Decision.Preempt(w("a1", "a", 3, 4),
                                List.of(new Victim("b2", "b", 0, "queue b borrows capacity and runs at lower priority")),
                                ON_ONE_NODE + "; it waits for capacity to free up; 1 workload leaves to make room")),
                new Case("a preemption by priority within a queue",
                        World.of(oneNode(), queue("a")).running(0, w("lo", "a", 1, 8)), 10, List.of(HI),
                        new Decision.Preempt(HI, List.of(new Victim("lo", "a", 1, "priority 1 below 5 in queue a")),
                                ON_ONE_NODE + "; it waits for capacity to free up; 1 workload leaves to make room")),
                new Case("a preemption of two",
                        World.of(oneNode(), queue("a")).running(0, w("lo1", "a", 0, 4)).running(1, w("lo2", "a", 1, 4)),
                        10, List.of(HI8),
                        new Decision.Preempt(HI8, List.of(new Victim("lo1", "a", 0, "priority 0 below 5 in queue a"),
                                new Victim("lo2", "a", 1, "priority 1 below 5 in queue a")),
                                "the cluster's nvidia.com/gpu is all held: 8/8, the workload needs 8; it waits for"
                                        + " capacity to free up; 2 workloads leave to make room")),
                new Case("a wait that reached its timeout",
                        World.of(oneNode(), queue("a")), 60, List.of(LATE),
                        new Decision.Expire(LATE, "waited 60 s, beyond its timeout of 60 s")),
                new Case("an unknown queue",
                        World.of(oneNode(), queue("org"), queue("cv").parent("org"), queue("nlp").parent("org")), 10,
                        List.of(LOST),
                        new Decision.Wait(LOST, WaitReason.UNKNOWN_QUEUE,
                                "queue nope does not exist; queues are [org, cv, nlp]")),
                new Case("a queue with child queues",
                        World.of(oneNode(), queue("org"), queue("cv").parent("org"), queue("nlp").parent("org")), 10,
                        List.of(TO_ORG),
                        new Decision.Wait(TO_ORG, WaitReason.UNKNOWN_QUEUE,
                                "queue org has child queues; submit to one of [cv, nlp]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesInWordsAPersonCanActOn(Case c) {
        List<Decision> about = c.given.run(c.now, c.pending).decisions().stream()
                .filter(d -> d.workload().id().equals(c.want.workload().id())).toList();

        assertThat(about).containsExactly(c.want);
    }
}
