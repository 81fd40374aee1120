package io.kubeai.core.cycle;

import static io.kubeai.core.cycle.World.gpuNode;
import static io.kubeai.core.cycle.World.gpus;
import static io.kubeai.core.testing.Builders.pod;
import static io.kubeai.core.cycle.World.oneNode;
import static io.kubeai.core.testing.Builders.queue;
import static io.kubeai.core.testing.Builders.workload;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeai.core.workload.Workload;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A workload that preempted is decided first in the next runs of the same cycle object, so the
 * room its victims free goes to it. The world: queue a is guaranteed the one 8-GPU node, queue b
 * nothing; b's v (priority 9) borrows the whole node; a's big gang can never fit and is a's head
 * (priority 5), p (priority 0) is next in a and within a's guarantee. p reclaims the node from v;
 * v re-queues at once, and at priority 9 it goes before a's heads.
 */
class SchedulingCyclePrecedenceTest {
    private static final Workload BIG = workload("big").queue("a").priority(5).createdAt(0).pods(2, gpus(8)).build();
    private static final Workload P = workload("p").queue("a").priority(0).createdAt(1).pod(gpus(8)).build();

    private static World world() {
        return World.of(oneNode(), queue("a").minGpus(8), queue("b"))
                .running(0, workload("v").queue("b").priority(9).pod(gpus(8)).build());
    }

    private static Workload requeuedV(long at) {
        return workload("v").queue("b").priority(9).createdAt(at).pod(gpus(8)).build();
    }

    private static List<String> run(World w, SchedulingCycle c, long now, List<Workload> pending) {
        return World.summary(c.run(w.state, pending, now, new SplittableRandom(0)));
    }

    @Test
    void thePreemptorTakesTheRoomItsVictimsFreedBeforeTheVictimCanTakeItBack() {
        World w = world();
        SchedulingCycle c = World.cycle(CycleConfig.DEFAULT);

        assertThat(run(w, c, 10, List.of(BIG, P))).containsExactly("wait big QUOTA_CAPACITY", "preempt for p: v");
        w.state.evict("v");

        assertThat(run(w, c, 20, List.of(BIG, P, requeuedV(10)))).startsWith("admit p on n1")
                .doesNotContain("admit v on n1");
        assertThat(w.runningOn()).containsExactly("p on n1");
    }

    @Test
    void withoutPrecedenceTheVictimTakesTheRoomBackAndIsEvictedAgain() {
        World w = world();
        SchedulingCycle c = World.cycle(CycleConfig.DEFAULT.withPreemptorPrecedence(0));

        assertThat(run(w, c, 10, List.of(BIG, P))).contains("preempt for p: v");
        w.state.evict("v");
        assertThat(run(w, c, 20, List.of(BIG, P, requeuedV(10)))).contains("admit v on n1");
        assertThat(run(w, c, 30, List.of(BIG, P))).contains("preempt for p: v");
    }

    @Test
    void precedenceCarriedToAFreshStateAsTheLiveControllerBuildsOneEachCycle() {
        World w = world();
        SchedulingCycle c = World.cycle(CycleConfig.DEFAULT);
        assertThat(run(w, c, 10, List.of(BIG, P))).contains("preempt for p: v");
        assertThat(w.state.precedenceLeft()).containsExactly(java.util.Map.entry("p",
                CycleConfig.DEFAULT_PREEMPTOR_PRECEDENCE_CYCLES));

        // The next cycle's snapshot: v gone, nothing running; a new cycle object too.
        World next = World.of(oneNode(), queue("a").minGpus(8), queue("b"));
        next.state.carryPrecedence(w.state.precedenceLeft());
        assertThat(run(next, World.cycle(CycleConfig.DEFAULT), 20, List.of(BIG, P, requeuedV(10))))
                .startsWith("admit p on n1").doesNotContain("admit v on n1");
        assertThat(next.state.precedenceLeft()).isEmpty();

        // Without the carried precedence the fresh state gives the room back to v.
        World forgetful = World.of(oneNode(), queue("a").minGpus(8), queue("b"));
        assertThat(run(forgetful, World.cycle(CycleConfig.DEFAULT), 20, List.of(BIG, P, requeuedV(10))))
                .contains("admit v on n1");
    }

    @Test
    void carriedPrecedenceMustBePositive() {
        World w = world();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.state.carryPrecedence(java.util.Map.of("p", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p=0");
        assertThat(w.state.precedenceLeft()).isEmpty();
    }

    @Test
    void precedenceEndsWhenThePreemptorIsNoLongerPending() {
        World w = world();
        SchedulingCycle c = World.cycle(CycleConfig.DEFAULT);

        assertThat(run(w, c, 10, List.of(BIG, P))).contains("preempt for p: v");
        w.state.evict("v");
        // p was withdrawn: v is admitted again, and p, submitted anew later, is ordered as usual.
        assertThat(run(w, c, 20, List.of(BIG, requeuedV(10)))).contains("admit v on n1");
        assertThat(run(w, c, 30, List.of(BIG, P))).containsExactly("wait big QUOTA_CAPACITY", "preempt for p: v");
    }

    @Test
    void precedenceLivesInTheStateSoARehearsalOnACopyChangesNothing() {
        World w = world();
        SchedulingCycle c = World.cycle(CycleConfig.DEFAULT);
        SchedulingState rehearsal = w.state.copy();

        assertThat(World.summary(c.run(rehearsal, List.of(BIG, P), 10, new SplittableRandom(0))))
                .containsExactly("wait big QUOTA_CAPACITY", "preempt for p: v");
        assertThat(rehearsal.preemptorsWithPrecedence()).containsExactly("p");
        assertThat(w.state.preemptorsWithPrecedence()).isEmpty();
        assertThat(run(w, c, 10, List.of(BIG, P))).containsExactly("wait big QUOTA_CAPACITY", "preempt for p: v");
    }

    /**
     * v (4 GPUs) on n1, w2 (6 GPUs and every core) on n2, w3 (8 GPUs) on n3. p reclaims v and will
     * take n1 whole. x (2 GPUs) fits quota beside p's hold, and on the nodes only n1's 4 free GPUs
     * would take it, which p's plan counts on: x waits instead.
     */
    @Test
    void workDecidedAfterAPreemptorCannotTakeTheFreeRoomItsPlanCountsOn() {
        World w = World.of(List.of(gpuNode("n1", 8), gpuNode("n2", 8), gpuNode("n3", 8)),
                        queue("a").minGpus(8), queue("b"), queue("c"))
                .running(0, workload("v").queue("b").pod(gpus(4)).build(),
                        workload("w2").queue("c").pod(pod().cpu(64_000).memoryGi(8).gpus(6)).build(),
                        workload("w3").queue("c").pod(gpus(8)).build());
        Workload p = workload("p").queue("a").createdAt(1).pod(gpus(8)).build();
        Workload x = workload("x").queue("c").createdAt(2).pod(gpus(2)).build();

        assertThat(World.summary(w.run(10, p, x))).containsExactly("preempt for p: v", "wait x NO_PLACEMENT");
        assertThat(w.podsByNode().values().stream().flatMap(List::stream))
                .as("the room is kept only while the cycle runs").noneMatch(id -> id.startsWith("reserved-for/"));
        w.state.evict("v");
        assertThat(World.summary(w.run(20, p, x))).startsWith("admit p on n1");
    }
}
