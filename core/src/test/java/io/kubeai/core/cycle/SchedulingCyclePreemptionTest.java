package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.cycle.World.oneNode;
import static io.kubeai.core.cycle.World.twoNodes;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may be preempted, for whom, and in what order. Every case also checks that a cycle only
 * names victims: what ran before still runs, on the same nodes.
 */
class SchedulingCyclePreemptionTest {

    record Case(String name, World given, List<Workload> pending, List<String> want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Workload w(String id, String queue, int priority, int gpus) {
        return workload(id).queue(queue).priority(priority).pod(gpus(gpus)).build();
    }

    /** Four 4-GPU workloads of queue b admitted one second apart: b borrows 8 of a's 8 GPUs. */
    private static World bBorrowsAll() {
        return World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                .running(0, w("b1", "b", 0, 4)).running(1, w("b2", "b", 0, 4))
                .running(2, w("b3", "b", 0, 4)).running(3, w("b4", "b", 0, 4));
    }

    /** Queue b borrows a node (b1, b2: 4 GPUs each) from a; c holds 4 GPUs of the other; 4 are free. */
    private static World roomBeingFreed() {
        return World.of(twoNodes(), queue("a").minGpus(12), queue("b"), queue("c").minGpus(4))
                .running(0, w("b1", "b", 0, 4), w("b2", "b", 0, 4)).running(1, w("c1", "c", 0, 4));
    }

    @Test
    void workThatWaitsForAPreemptorsRoomIsToldSo() {
        List<Decision> d = roomBeingFreed().run(10, List.of(
                workload("a1").queue("a").createdAt(0).pods(3, gpus(4)).build(),
                workload("b3").queue("b").createdAt(1).pod(gpus(4)).build())).decisions();

        assertThat(d.get(1)).isInstanceOfSatisfying(Decision.Wait.class, w -> assertThat(w.message())
                .isEqualTo("the capacity it would use is claimed by a1, which is preempting to make room; it is tried"
                        + " again next cycle"));
    }

    /** Queue a alone on one node, running lo1 then lo2, 4 GPUs each, at priority 0. */
    private static World twoLow(CycleConfig config) {
        return World.of(oneNode(), queue("a")).config(config)
                .running(0, w("lo1", "a", 0, 4)).running(1, w("lo2", "a", 0, 4));
    }

    private static List<Workload> threeHigh() {
        return List.of(workload("hi1").queue("a").priority(5).createdAt(0).pod(gpus(4)).build(),
                workload("hi2").queue("a").priority(5).createdAt(1).pod(gpus(4)).build(),
                workload("hi3").queue("a").priority(5).createdAt(2).pod(gpus(4)).build());
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an owner reclaims what another queue borrows, newest first",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, w("b1", "b", 0, 8)).running(1, w("b2", "b", 0, 4))
                                .running(2, w("b3", "b", 0, 4)),
                        List.of(w("a1", "a", 0, 4)),
                        List.of("preempt for a1: b3")),
                new Case("a reclaim never takes another queue below its min",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, workload("b1").queue("b").pods(2, gpus(6)).build()),
                        List.of(w("a1", "a", 0, 8)),
                        List.of("wait a1 QUOTA_CAPACITY")),
                new Case("reclaimers in one cycle do not together take another queue below its min",
                        bBorrowsAll(),
                        List.of(workload("a1").queue("a").createdAt(0).pod(gpus(4)).build(),
                                workload("a2").queue("a").createdAt(1).pod(gpus(4)).build(),
                                workload("a3").queue("a").createdAt(2).pod(gpus(4)).build()),
                        List.of("preempt for a1: b4", "preempt for a2: b3", "wait a3 QUOTA_CAPACITY")),
                new Case("a workload preempts lower priority in its own queue",
                        World.of(oneNode(), queue("a")).running(0, w("lo", "a", 1, 8)),
                        List.of(w("hi", "a", 5, 4)),
                        List.of("preempt for hi: lo")),
                new Case("equal priority in the same queue preempts nobody",
                        World.of(oneNode(), queue("a")).running(0, w("lo", "a", 5, 8)),
                        List.of(w("hi", "a", 5, 4)),
                        List.of("wait hi QUOTA_CAPACITY")),
                new Case("the lowest priority goes before the newest",
                        World.of(oneNode(), queue("a")).running(0, w("lo1", "a", 1, 4)).running(1, w("lo2", "a", 2, 4)),
                        List.of(w("hi", "a", 5, 4)),
                        List.of("preempt for hi: lo1")),
                new Case("the smallest goes first when priority and age are equal",
                        World.of(oneNode(), queue("a")).running(0, w("big", "a", 0, 4), w("small", "a", 0, 2)),
                        List.of(w("hi", "a", 5, 4)),
                        List.of("preempt for hi: small")),
                new Case("higher priority beyond its guarantee takes from a queue that borrows",
                        World.of(oneNode(), queue("a"), queue("b").minGpus(4))
                                .running(0, w("b1", "b", 0, 4)).running(1, w("b2", "b", 0, 4)),
                        List.of(w("a1", "a", 3, 4)),
                        List.of("preempt for a1: b2")),
                new Case("equal priority beyond its guarantee takes nothing from another queue",
                        World.of(oneNode(), queue("a"), queue("b").minGpus(4))
                                .running(0, w("b1", "b", 0, 4)).running(1, w("b2", "b", 0, 4)),
                        List.of(w("a1", "a", 0, 4)),
                        List.of("wait a1 QUOTA_CAPACITY")),
                new Case("higher priority takes nothing from a queue within its min",
                        World.of(twoNodes(), queue("a"), queue("b").minGpus(16)).running(0, w("b1", "b", 0, 8),
                                w("b2", "b", 0, 8)),
                        List.of(w("a1", "a", 9, 4)),
                        List.of("wait a1 QUOTA_CAPACITY")),
                new Case("borrowed work goes before lower priority of the preemptor's own queue",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, w("a_lo", "a", 0, 4)).running(1, w("b1", "b", 0, 8))
                                .running(2, w("b2", "b", 0, 4)),
                        List.of(w("hi", "a", 5, 4)),
                        List.of("preempt for hi: b2")),
                new Case("a preemptor that could not fit after every eligible victim left evicts nobody",
                        World.of(twoNodes(), queue("a")).running(0, w("lo1", "a", 0, 8)).running(1, w("lo2", "a", 0, 4)),
                        List.of(workload("hi").queue("a").priority(5).pod(pod().gpus(12)).build()),
                        List.of("wait hi QUOTA_CAPACITY")),
                new Case("a gang that needs a victim it may not take evicts nobody",
                        World.of(twoNodes(), queue("a").minGpus(8), queue("b").minGpus(8))
                                .running(0, w("a_lo", "a", 0, 4)).running(1, w("b1", "b", 0, 8)),
                        List.of(workload("hi").queue("a").priority(5).pods(2, gpus(8)).build()),
                        List.of("wait hi QUOTA_CAPACITY")),
                new Case("a victim is not chosen twice in one cycle",
                        twoLow(CycleConfig.DEFAULT), threeHigh(),
                        List.of("preempt for hi1: lo2", "preempt for hi2: lo1", "wait hi3 QUOTA_CAPACITY")),
                new Case("one preemptor takes no more than maxVictims",
                        twoLow(new CycleConfig(3600, 1, 10, true, 1, 10)),
                        List.of(w("hi", "a", 5, 8)),
                        List.of("wait hi QUOTA_CAPACITY")),
                new Case("one preemptor takes several victims when it needs them all",
                        twoLow(new CycleConfig(3600, 1, 10, true, 2, 10)),
                        List.of(w("hi", "a", 5, 8)),
                        List.of("preempt for hi: lo2 lo1")),
                new Case("no more preemptors than maxPreemptionsPerCycle",
                        twoLow(new CycleConfig(3600, 1, 10, true, 16, 1)), threeHigh(),
                        List.of("preempt for hi1: lo2", "wait hi2 QUOTA_CAPACITY", "wait hi3 QUOTA_CAPACITY")),
                new Case("nobody is preempted with preemption off",
                        twoLow(CycleConfig.DEFAULT.withPreemption(false)), threeHigh(),
                        List.of("wait hi1 QUOTA_CAPACITY", "wait hi2 QUOTA_CAPACITY", "wait hi3 QUOTA_CAPACITY")),
                new Case("an owner reclaims its min from a sibling that borrows it",
                        World.of(twoNodes(), queue("org"), queue("cv").parent("org").minGpus(4),
                                queue("nlp").parent("org").minGpus(4), queue("other").minGpus(8))
                                .running(0, w("cv1", "cv", 0, 4)).running(1, w("cv2", "cv", 0, 4))
                                .running(2, w("o1", "other", 0, 8)),
                        List.of(w("nlp1", "nlp", 0, 4)),
                        List.of("preempt for nlp1: cv2")),
                new Case("an owner reclaims from a sibling to get under their parent's max",
                        World.of(twoNodes(), queue("org").maxGpus(8), queue("cv").parent("org").minGpus(4),
                                queue("nlp").parent("org").minGpus(4), queue("other").minGpus(8))
                                .running(0, w("cv1", "cv", 0, 4)).running(1, w("cv2", "cv", 0, 4)),
                        List.of(w("nlp1", "nlp", 0, 4)),
                        List.of("preempt for nlp1: cv2")),
                new Case("a queue at its own max takes only from itself",
                        World.of(twoNodes(), queue("a").maxGpus(8), queue("b"))
                                .running(0, w("a_lo", "a", 0, 8)).running(1, w("b1", "b", 0, 8)),
                        List.of(w("a_hi", "a", 5, 4)),
                        List.of("preempt for a_hi: a_lo")),
                // cv borrows from org's own min; taking cv2 would leave org at 4 of its 8.
                new Case("a victim's parent is not taken below its min either",
                        World.of(twoNodes(), queue("org").minGpus(8), queue("cv").parent("org").minGpus(4),
                                queue("other").minGpus(8))
                                .running(0, w("cv1", "cv", 0, 4)).running(1, w("cv2", "cv", 0, 4))
                                .running(2, w("o1", "other", 0, 8)),
                        List.of(w("o2", "other", 5, 4)),
                        List.of("preempt for o2: o1")),
                new Case("work ordered after a preemptor cannot take the room it is freeing",
                        roomBeingFreed(),
                        List.of(workload("a1").queue("a").createdAt(0).pods(3, gpus(4)).build(),
                                workload("b3").queue("b").createdAt(1).pod(gpus(4)).build()),
                        List.of("preempt for a1: b1 b2", "wait b3 QUOTA_CAPACITY")),
                new Case("work that fits beside the victims and beside the preemptor after them is admitted",
                        roomBeingFreed(),
                        List.of(workload("a1").queue("a").createdAt(0).pod(gpus(8)).build(),
                                workload("c2").queue("c").createdAt(1).pod(gpus(4)).build()),
                        List.of("preempt for a1: b1 b2", "admit c2 on n2")),
                new Case("a strict-FIFO head that preempts blocks the work behind it",
                        World.of(oneNode(), queue("a").strictFifo()).running(0, w("lo", "a", 0, 8)),
                        List.of(workload("hi").queue("a").priority(5).createdAt(0).pod(gpus(4)).build(),
                                workload("next").queue("a").createdAt(1).pod(gpus(1)).build()),
                        List.of("preempt for hi: lo", "wait next BLOCKED_BEHIND_HEAD")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesVictimsOnlyWhereTheRulesAllow(Case c) {
        List<String> before = c.given.runningOn();

        assertThat(World.summary(c.given.run(10, c.pending))).isEqualTo(c.want);
        assertThat(c.given.runningOn()).as("victims are named, not removed").containsAll(before);
    }
}
